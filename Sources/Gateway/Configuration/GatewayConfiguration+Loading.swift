public import BrokerCore
public import BrokerStore
public import Foundation
import PriceFeeds
import Yams

extension GatewayConfiguration {
    /// Values given on the command line; nil means not given.
    public struct Overrides: Sendable, Hashable {
        public var listen: String?
        public var controlSocket: String?
        public var database: String?
        public var providersDirectory: String?
        public var demoUpstream: String?
        public var logLevel: String?

        public init(
            listen: String? = nil, controlSocket: String? = nil, database: String? = nil,
            providersDirectory: String? = nil, demoUpstream: String? = nil, logLevel: String? = nil
        ) {
            self.listen = listen
            self.controlSocket = controlSocket
            self.database = database
            self.providersDirectory = providersDirectory
            self.demoUpstream = demoUpstream
            self.logLevel = logLevel
        }
    }

    /// Defaults, then the YAML file (if any), then `TOKENBROKER_*` variables, then flags.
    ///
    /// The variables: `TOKENBROKER_LISTEN`, `TOKENBROKER_CONTROL_SOCKET`, `TOKENBROKER_DB`,
    /// `TOKENBROKER_PROVIDERS`, `TOKENBROKER_DEMO_UPSTREAM`, `TOKENBROKER_LOG_LEVEL`.
    public static func load(
        file: String?, environment: [String: String], overrides: Overrides = Overrides()
    ) throws(ConfigurationError) -> GatewayConfiguration {
        var configuration = GatewayConfiguration()
        if let file {
            let text: String
            do {
                text = try LocalFile.text(file)
            } catch {
                throw ConfigurationError(source: file, field: "file", message: "\(error)")
            }
            configuration = try parse(yaml: text, source: file)
        }
        let fromEnvironment = Overrides(
            listen: environment["TOKENBROKER_LISTEN"], controlSocket: environment["TOKENBROKER_CONTROL_SOCKET"],
            database: environment["TOKENBROKER_DB"], providersDirectory: environment["TOKENBROKER_PROVIDERS"],
            demoUpstream: environment["TOKENBROKER_DEMO_UPSTREAM"], logLevel: environment["TOKENBROKER_LOG_LEVEL"])
        try configuration.apply(fromEnvironment, source: "environment")
        try configuration.apply(overrides, source: "command line")
        return configuration
    }

    mutating func apply(_ overrides: Overrides, source: String) throws(ConfigurationError) {
        do {
            if let listen = overrides.listen { self.listen = try ListenAddress(parsing: listen) }
        } catch {
            throw ConfigurationError(source: source, field: error.field, message: error.message)
        }
        // An empty path (`TOKENBROKER_DB=`) is a mistake, not a request for the default.
        for (field, value) in [("control_socket", overrides.controlSocket), ("db", overrides.database), ("providers", overrides.providersDirectory)]
        where value?.isEmpty == true {
            throw ConfigurationError(source: source, field: field, message: "expected a non-empty path")
        }
        if let value = overrides.controlSocket { controlSocket = value }
        if let value = overrides.database { database = value }
        if let value = overrides.providersDirectory { providersDirectory = value }
        if let value = overrides.demoUpstream {
            demoUpstream = value.isEmpty ? nil : try Self.demoUpstreamURL(value, source: source)
        }
        if let value = overrides.logLevel {
            guard Self.logLevels.contains(value) else {
                throw ConfigurationError(source: source, field: "log_level", message: "expected one of \(Self.logLevels.joined(separator: ", ")), got \"\(value)\"")
            }
            logLevel = value
        }
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// An `http://` or `https://` URL with a host, as the demo overlay's upstream must be.
    static func demoUpstreamURL(_ text: String, source: String) throws(ConfigurationError) -> String {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw ConfigurationError(source: source, field: "demo_upstream", message: "expected an http:// or https:// URL with a host, got \"\(text)\"")
        }
        return text
    }

    /// Parses the YAML configuration file. Unknown keys are errors: a typo never silently
    /// leaves a setting at its default.
    public static func parse(yaml: String, source: String = "config") throws(ConfigurationError) -> GatewayConfiguration {
        let root: Any?
        do {
            root = try Yams.load(yaml: yaml)
        } catch {
            guard let syntax = YAMLSyntaxError(error) else {
                throw ConfigurationError(source: source, field: "yaml", message: "\(error)")
            }
            throw ConfigurationError(source: syntax.place(in: source), field: "YAML syntax", message: syntax.problem)
        }
        var configuration = GatewayConfiguration()
        guard let root else { return configuration }
        let reader = ConfigReader(source: source)
        let map = try reader.mapping(root, field: "top level")
        try reader.rejectUnknown(map, known: Self.knownKeys, field: "top level")
        if let value = map["listen"] { configuration.listen = try reader.listen(value) }
        if let value = map["control_socket"] { configuration.controlSocket = try reader.string(value, field: "control_socket") }
        if let value = map["control_group"] { configuration.controlGroup = try reader.string(value, field: "control_group") }
        if let value = map["control_allowed_uids"] { configuration.controlAllowedUIDs = try reader.ids(value, field: "control_allowed_uids") }
        if let value = map["control_allowed_gids"] { configuration.controlAllowedGIDs = try reader.ids(value, field: "control_allowed_gids") }
        if let value = map["db"] { configuration.database = try reader.string(value, field: "db") }
        if let value = map["providers"] { configuration.providersDirectory = try reader.string(value, field: "providers") }
        if let value = map["demo_upstream"] {
            configuration.demoUpstream = try demoUpstreamURL(try reader.string(value, field: "demo_upstream"), source: source)
        }
        if let value = map["log_level"] {
            let level = try reader.string(value, field: "log_level")
            guard logLevels.contains(level) else {
                throw ConfigurationError(source: source, field: "log_level", message: "expected one of \(logLevels.joined(separator: ", "))")
            }
            configuration.logLevel = level
        }
        if let value = map["max_body_bytes"] { configuration.maxBodyBytes = try reader.integer(value, field: "max_body_bytes", range: 1024...(1 << 30)) }
        if let value = map["request_timeout_seconds"] { configuration.requestTimeoutSeconds = try reader.seconds(value, field: "request_timeout_seconds") }
        if let value = map["connect_timeout_seconds"] { configuration.connectTimeoutSeconds = try reader.seconds(value, field: "connect_timeout_seconds") }
        if let value = map["upstream_connections_per_host"] {
            configuration.upstreamConnectionsPerHost = try reader.integer(value, field: "upstream_connections_per_host", range: 0...1_000_000)
        }
        if let value = map["listen_backlog"] { configuration.listenBacklog = try reader.integer(value, field: "listen_backlog", range: 1...65_535) }
        if let value = map["idle_timeout_seconds"] { configuration.idleTimeoutSeconds = try reader.seconds(value, field: "idle_timeout_seconds") }
        if let value = map["drain_timeout_seconds"] { configuration.drainTimeoutSeconds = try reader.seconds(value, field: "drain_timeout_seconds") }
        if let value = map["catalogue_refresh_seconds"] { configuration.catalogueRefreshSeconds = try reader.seconds(value, field: "catalogue_refresh_seconds") }
        if let value = map["access_log"] {
            guard let flag = value as? Bool else { throw ConfigurationError(source: source, field: "access_log", message: "expected true or false") }
            configuration.accessLog = flag
        }
        if let value = map["failover_candidates"] { configuration.failoverCandidates = try reader.integer(value, field: "failover_candidates", range: 1...20) }
        if let value = map["circuit_breaker"] { configuration.circuitBreaker = try reader.circuitBreaker(value) }
        if let value = map["keys"] { configuration.bootstrapKeys = try reader.keys(value) }
        return configuration
    }

    static let knownKeys: Set<String> = [
        "listen", "control_socket", "control_group", "control_allowed_uids", "control_allowed_gids", "db", "providers", "demo_upstream", "log_level", "max_body_bytes",
        "request_timeout_seconds", "connect_timeout_seconds", "upstream_connections_per_host", "listen_backlog", "idle_timeout_seconds", "drain_timeout_seconds",
        "catalogue_refresh_seconds",
        "failover_candidates", "circuit_breaker", "keys", "access_log",
    ]
}

/// Typed reads from the YAML tree, each error naming the field.
struct ConfigReader {
    let source: String

    func error(_ field: String, _ message: String) -> ConfigurationError {
        ConfigurationError(source: source, field: field, message: message)
    }

    func mapping(_ value: Any, field: String) throws(ConfigurationError) -> [String: Any] {
        guard let map = value as? [String: Any] else { throw error(field, "expected a mapping") }
        return map
    }

    func rejectUnknown(_ map: [String: Any], known: Set<String>, field: String) throws(ConfigurationError) {
        if let unknown = map.keys.filter({ !known.contains($0) }).sorted().first {
            throw error(field == "top level" ? unknown : "\(field).\(unknown)", "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ value: Any, field: String) throws(ConfigurationError) -> String {
        if let text = value as? String, !text.isEmpty { return text }
        throw error(field, "expected a non-empty string")
    }

    func integer(_ value: Any, field: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let number = value as? Int, range.contains(number) else {
            throw error(field, "expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func ids(_ value: Any, field: String) throws(ConfigurationError) -> [UInt32] {
        guard let list = value as? [Any] else { throw error(field, "expected a list of numeric ids") }
        var ids: [UInt32] = []
        for item in list {
            guard let number = item as? Int, let id = UInt32(exactly: number) else { throw error(field, "expected numeric ids, got \(item)") }
            ids.append(id)
        }
        return ids
    }

    func seconds(_ value: Any, field: String) throws(ConfigurationError) -> Double {
        let number = (value as? Double) ?? (value as? Int).map(Double.init)
        guard let number, number > 0, number <= 86_400 else { throw error(field, "expected seconds, more than 0 and at most 86400") }
        return number
    }

    func listen(_ value: Any) throws(ConfigurationError) -> ListenAddress {
        do {
            return try ListenAddress(parsing: try string(value, field: "listen"))
        } catch {
            throw ConfigurationError(source: source, field: error.field, message: error.message)
        }
    }

    func circuitBreaker(_ value: Any) throws(ConfigurationError) -> CircuitBreaker.Policy {
        let map = try mapping(value, field: "circuit_breaker")
        try rejectUnknown(map, known: ["failures", "cool_down_seconds", "max_cool_down_seconds"], field: "circuit_breaker")
        let defaults = CircuitBreaker.Policy()
        let failures = try map["failures"].map { v throws(ConfigurationError) in try integer(v, field: "circuit_breaker.failures", range: 1...1000) }
        let coolDown = try map["cool_down_seconds"].map { v throws(ConfigurationError) in try seconds(v, field: "circuit_breaker.cool_down_seconds") }
        let maxCoolDown = try map["max_cool_down_seconds"].map { v throws(ConfigurationError) in try seconds(v, field: "circuit_breaker.max_cool_down_seconds") }
        // The policy would quietly raise the maximum to the cool-down; a file saying otherwise is a mistake.
        if let coolDown, let maxCoolDown, coolDown > maxCoolDown {
            throw error("circuit_breaker.cool_down_seconds", "must not exceed max_cool_down_seconds (\(maxCoolDown))")
        }
        return CircuitBreaker.Policy(
            failureThreshold: failures ?? defaults.failureThreshold, coolDown: coolDown ?? defaults.coolDown,
            maxCoolDown: maxCoolDown ?? defaults.maxCoolDown)
    }

    func keys(_ value: Any) throws(ConfigurationError) -> [GatewayConfiguration.BootstrapKey] {
        guard let list = value as? [Any] else { throw error("keys", "expected a list") }
        var keys: [GatewayConfiguration.BootstrapKey] = []
        for (index, item) in list.enumerated() {
            let field = "keys[\(index)]"
            let map = try mapping(item, field: field)
            try rejectUnknown(map, known: ["tenant", "key", "key_sha256", "budget_usd", "period", "policy"], field: field)
            guard let tenantValue = map["tenant"] else { throw error("\(field).tenant", "required") }
            let tenant = try string(tenantValue, field: "\(field).tenant")
            if let problem = TenantName.problem(tenant) { throw error("\(field).tenant", problem) }
            var key = GatewayConfiguration.BootstrapKey(tenant: tenant)
            if let value = map["key"] {
                let text = try string(value, field: "\(field).key")
                guard text.count >= 16 else { throw error("\(field).key", "too short: a key needs at least 16 characters") }
                key.key = text
            }
            if let value = map["key_sha256"] {
                // YAML reads unquoted 0123… or 12e45… as numbers, losing digits: insist on a string.
                guard let text = (value as? String)?.lowercased() else { throw error("\(field).key_sha256", "expected 64 hex digits in quotes") }
                guard text.count == 64, text.allSatisfy(\.isHexDigit) else { throw error("\(field).key_sha256", "expected 64 hex digits") }
                key.keySHA256 = text
            }
            guard (key.key == nil) != (key.keySHA256 == nil) else {
                throw error(field, "give exactly one of key and key_sha256")
            }
            if let value = map["budget_usd"] {
                let text = (value as? String) ?? "\(value)"
                guard let budget = Money(operatorUSD: text, allowingZero: false) else {
                    throw error("\(field).budget_usd", "expected \(Money.operatorUSDRule(allowingZero: false)), got \"\(text)\"")
                }
                key.budget = budget
            }
            if let value = map["period"] {
                let text = try string(value, field: "\(field).period")
                guard let period = BudgetPeriod(rawValue: text) else { throw error("\(field).period", "expected day or month") }
                key.period = period
            }
            if key.budget != nil, key.period == nil { key.period = .month }
            if let value = map["policy"] { key.policy = try string(value, field: "\(field).policy") }
            // One key for two tenants would belong to whichever was created first (compared
            // by hash: a key may be given once as itself and once as its SHA-256).
            func hash(_ key: GatewayConfiguration.BootstrapKey) -> String? { key.keySHA256 ?? key.key.map(APIKeyHash.hash) }
            if let earlier = keys.firstIndex(where: { hash($0) == hash(key) }) {
                throw error(field, "the same key as keys[\(earlier)]")
            }
            keys.append(key)
        }
        return keys
    }
}
