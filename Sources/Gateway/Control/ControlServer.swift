import BrokerStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The control API on its Unix socket: HTTP/1.1 + JSON, every connection's peer checked
/// by ``PeerCredentialGate``.
///
/// The socket lives in a directory the daemon owns (created 0700, or 0750 with a group);
/// the socket itself is 0600, or 0660 with `control_group` set. With `control_allowed_uids`
/// or `control_allowed_gids`, callers outside both must reach the socket before the peer
/// check can let them in: the directory is created 0711 (others may pass through, not list)
/// and the socket is 0666 — the peer check is then the whole gate. A leftover socket file from
/// a crashed daemon is replaced — safe, since the daemon holds the state lock before this
/// runs — but a socket a live daemon answers on is never taken over.
struct ControlServer: Service {
    let path: String
    let application: any Service
    let logger: Logger

    /// Checks and prepares the socket's place and builds the server; binds nothing yet.
    static func make(
        routes: ControlRoutes, configuration: GatewayConfiguration, logger: Logger, onReady: @escaping @Sendable () -> Void
    ) throws -> ControlServer {
        let path = configuration.controlSocketPath
        let socketGroup = try configuration.controlGroupID()
        let othersAllowed = !configuration.controlAllowedUIDs.isEmpty || !configuration.controlAllowedGIDs.isEmpty
        try prepare(path: path, group: socketGroup, othersAllowed: othersAllowed, logger: logger)
        let access = ControlAccess(configuration: configuration, ownUID: getuid(), socketGroup: socketGroup)
        let mode: mode_t = othersAllowed ? 0o666 : socketGroup == nil ? 0o600 : 0o660
        let server = HTTPServerBuilder { responder in
            PeerCheckedHTTP1Channel(http: HTTP1Channel(responder: responder), access: access, logger: logger)
        }
        let application = Application(
            router: routes.router(), server: server,
            configuration: .init(address: .unixDomainSocket(path: path), serverName: "tokenbrokerd-control"),
            onServerRunning: { _ in
                // The socket was created under the process umask; set its mode before anyone is told it is up.
                if chmod(path, mode) != 0 { logger.error("control socket: chmod \(path) failed: errno \(errno)") }
                if let group = socketGroup, chown(path, getuid(), group) != 0 {
                    logger.error("control socket: chown \(path) to group \(group) failed: errno \(errno)")
                }
                logger.notice("control socket on \(path) (mode \(String(mode, radix: 8)), uids \(access.uids.sorted()), gids \(access.gids.sorted()))")
                onReady()
            },
            logger: logger)
        return ControlServer(path: path, application: application, logger: logger)
    }

    func run() async throws {
        defer { unlink(path) }
        try await application.run()
    }

    /// Creates the socket's directory if needed and clears a stale socket file; refuses a live one.
    static func prepare(path: String, group: UInt32?, othersAllowed: Bool = false, logger: Logger? = nil) throws {
        try GatewayConfiguration.checkControlSocket(path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: othersAllowed ? 0o711 : group == nil ? 0o700 : 0o750])
            if let group { _ = chown(directory, getuid(), group) }
        } else if othersAllowed {
            // An existing directory is left as it is, but a caller it keeps out is named now.
            var status = stat()
            if stat(directory, &status) == 0, status.st_mode & S_IXOTH == 0 {
                logger?.warning(
                    "control socket: \(directory) is not searchable by other users (mode \(String(status.st_mode & 0o777, radix: 8))), so control_allowed_uids and control_allowed_gids cannot reach the socket; chmod o+x \(directory) or choose another control_socket")
            }
        }
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard (status.st_mode & S_IFMT) == S_IFSOCK else {
            throw ConfigurationError(field: "control_socket", message: "\(path) exists and is not a socket; not touching it")
        }
        if answers(path) {
            throw ConfigurationError(
                field: "control_socket", message: "another tokenbrokerd is serving \(path); give this one its own control_socket")
        }
        unlink(path)
    }

    /// Whether something accepts connections on the socket at `path`.
    static func answers(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }
}

/// Hummingbird's HTTP/1.1 child channel with ``PeerCredentialGate`` first in the pipeline.
struct PeerCheckedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http: HTTP1Channel
    let access: ControlAccess
    let logger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(PeerCredentialGate(access: access, logger: self.logger))
        }.flatMap {
            http.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http.handle(value: value, logger: logger)
    }
}
