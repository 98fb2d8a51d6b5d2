public import BrokerCore
public import BrokerStore
import Foundation

/// Everything `tokenbrokerd` is told: where to listen and keep state, limits, the demo
/// overlay and bootstrap keys. Read from a YAML file, then `TOKENBROKER_*` variables, then
/// flags — each later source overrides the earlier (see ``load(file:environment:overrides:)``).
///
/// ```yaml
/// listen: 127.0.0.1:8080
/// db: var/tokenbroker.sqlite
/// providers: Providers
/// demo_upstream: http://127.0.0.1:9100   # providers without credentials are served here
/// keys:
///   - tenant: demo
///     key: tb-demo-0000
///     budget_usd: "5.00"
///     period: day
/// ```
public struct GatewayConfiguration: Sendable, Hashable {
    public var listen = ListenAddress(host: "127.0.0.1", port: 8080)
    /// The control API's Unix socket; empty: `tokenbroker.sock` next to the database (so the
    /// defaults give `var/tokenbroker.sock`, and daemons on different state never collide).
    public var controlSocket = ""
    /// The control socket's group (name or gid): its members may connect (mode 0660); none: 0600.
    public var controlGroup: String?
    /// Besides root and the daemon's own uid, who may use the control socket (checked with SO_PEERCRED).
    public var controlAllowedUIDs: [UInt32] = []
    public var controlAllowedGIDs: [UInt32] = []
    public var database = "var/tokenbroker.sqlite"
    public var providersDirectory = "Providers"
    /// Request bodies above this get a 413.
    public var maxBodyBytes = 4 << 20
    /// The whole request, every failover attempt included.
    public var requestTimeoutSeconds: Double = 120
    public var connectTimeoutSeconds: Double = 5
    /// Upstream connections open to one host at once; 0: no limit. Over HTTP/1.1 each request
    /// in flight holds one, so a limit makes requests beyond it wait for a free connection.
    public var upstreamConnectionsPerHost = 0
    /// Connections the kernel queues before the daemon accepts them (the kernel caps it at
    /// `net.core.somaxconn`); a burst beyond it waits a whole SYN retry (1 s, then 3 s).
    public var listenBacklog = 4096
    /// A client connection that sends nothing for this long — between requests, or in the
    /// middle of its headers or body — is closed. A request whose answer is under way is never
    /// cut by it (that is `requestTimeoutSeconds`).
    public var idleTimeoutSeconds: Double = 60
    /// How long SIGTERM waits for requests in flight before it stops them.
    public var drainTimeoutSeconds: Double = 30
    /// How often the routing table is rebuilt from the store, so future-dated prices take effect.
    public var catalogueRefreshSeconds: Double = 60
    /// Providers whose credentials are not set are served by this server (the demo overlay,
    /// e.g. `tokenbroker-mock`), at their wire format's standard path.
    public var demoUpstream: String?
    public var circuitBreaker = CircuitBreaker.Policy()
    /// Candidates kept on each decision, the chosen one included: the failover list.
    public var failoverCandidates = 5
    /// One `info` line per chat request (status, provider, decision, cost, latency). Off by
    /// default: the decision log already keeps every routed request.
    public var accessLog = false
    public var logLevel = "info"
    public var bootstrapKeys: [BootstrapKey] = []

    public init() {}

    /// Where the control socket is bound.
    public var controlSocketPath: String {
        guard controlSocket.isEmpty else { return controlSocket }
        let directory = (database as NSString).deletingLastPathComponent
        return directory.isEmpty ? "tokenbroker.sock" : directory + "/tokenbroker.sock"
    }

    /// What can only be checked against the catalogue or the system, run by `--check`, at
    /// start and on reload: the control socket's path fits a Unix socket, its group exists,
    /// and each bootstrap key's policy exists (as `tokenbroker keys create` insists).
    public func checkAgainst(policies: some Collection<String>) throws(ConfigurationError) {
        try Self.checkControlSocket(controlSocketPath)
        _ = try controlGroupID()
        for (index, key) in bootstrapKeys.enumerated() {
            guard let policy = key.policy, policy != "auto", !policies.contains(policy) else { continue }
            throw ConfigurationError(
                field: "keys[\(index)].policy", message: "no policy \(policy) in the catalogue (known: \(policies.sorted().joined(separator: ", ")))")
        }
    }

    /// The gid of `control_group` (nil when none is set); an unknown group is an error.
    func controlGroupID() throws(ConfigurationError) -> UInt32? {
        guard let name = controlGroup else { return nil }
        guard let gid = ControlAccess.groupID(name) else {
            throw ConfigurationError(field: "control_group", message: "no group \(name) on this system")
        }
        return gid
    }

    /// A Unix socket's path fits `sun_path`: 107 bytes and its terminating zero.
    static func checkControlSocket(_ path: String) throws(ConfigurationError) {
        guard path.utf8.count < 108 else {
            throw ConfigurationError(field: "control_socket", message: "\(path) is too long for a Unix socket (at most 107 bytes)")
        }
    }

    /// A tenant key named in the configuration file, created on start if it is not stored yet.
    public struct BootstrapKey: Sendable, Hashable {
        public var tenant: String
        /// The key itself, or only its SHA-256 (hex) so the file holds no secret.
        public var key: String?
        public var keySHA256: String?
        public var budget: Money?
        public var period: BudgetPeriod?
        public var policy: String?

        public init(
            tenant: String, key: String? = nil, keySHA256: String? = nil, budget: Money? = nil,
            period: BudgetPeriod? = nil, policy: String? = nil
        ) {
            self.tenant = tenant
            self.key = key
            self.keySHA256 = keySHA256
            self.budget = budget
            self.period = period
            self.policy = policy
        }

        /// The hash stored for this key.
        public var hash: String { keySHA256?.lowercased() ?? APIKeyHash.hash(key ?? "") }
    }
}

/// `HOST:PORT` (IPv6 as `[::1]:PORT`); port 0 picks a free port.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(ConfigurationError) {
        let separator = text.lastIndex(of: ":")
        guard let separator, let port = Int(text[text.index(after: separator)...]), (0...65535).contains(port) else {
            throw ConfigurationError(field: "listen", message: "expected HOST:PORT with a port from 0 to 65535, got \"\(text)\"")
        }
        var host = String(text[..<separator])
        let bracketed = host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2
        if bracketed { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw ConfigurationError(field: "listen", message: "expected HOST:PORT, got \"\(text)\" (no host)")
        }
        // An IPv6 address only in brackets, and nothing else with brackets, colons or spaces:
        // "[::1" would otherwise be read as host "[:" and fail only when the daemon binds.
        let stray = host.contains { $0 == "[" || $0 == "]" || $0.isWhitespace } || (!bracketed && host.contains(":"))
        guard !stray, !bracketed || host.contains(":") else {
            throw ConfigurationError(field: "listen", message: "expected HOST:PORT, or [IPv6]:PORT, got \"\(text)\"")
        }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A configuration value that cannot be used, naming where it came from and the field.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var source: String?
    public var field: String
    public var message: String

    public init(source: String? = nil, field: String, message: String) {
        self.source = source
        self.field = field
        self.message = message
    }

    public var description: String { "\(source.map { "\($0): " } ?? "")\(field): \(message)" }
}
