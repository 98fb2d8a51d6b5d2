import Foundation
import Logging
import NIOCore
import Synchronization

/// The first handler of every control connection: reads the peer's credentials
/// (`SO_PEERCRED`) and, when `ControlAccess` does not allow them, answers the first bytes
/// with `403` and closes, so nothing the peer sends reaches the router. Logged once per
/// refused connection, at most once a second (a socket open to every local user, as with
/// `control_allowed_uids`, must not let one of them flood the log).
final class PeerCredentialGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let access: ControlAccess
    private let logger: Logger
    /// Nil once the peer is allowed; a reason while it is not (or not yet) known to be.
    private var refusedPeer: String? = "peer credentials not read yet"
    private var answered = false

    init(access: ControlAccess, logger: Logger) {
        self.access = access
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let provider = context.channel as? any SocketOptionProvider else {
            refuse("no peer credentials (not a socket channel)")
            return
        }
        // On the channel's event loop the option is read at once and the future is complete.
        let future: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        future.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let credentials):
                let peer = ControlAccess.Peer(
                    pid: credentials.pid, uid: credentials.uid, gid: credentials.gid, groups: Self.supplementaryGroups(provider))
                if self.access.allows(peer) {
                    self.refusedPeer = nil
                } else {
                    self.refuse("\(peer) is not allowed")
                }
            case .failure(let error):
                self.refuse("cannot read peer credentials: \(error)")
            }
        }
    }

    /// The peer's supplementary groups (`SO_PEERGROUPS`, Linux 4.13), read on the channel's
    /// event loop into a zeroed buffer of 64; empty when unreadable or when the process has
    /// more (the group database is asked then). Gid 0 is dropped: it cannot be told from
    /// the buffer's unused zeroes (the primary gid and the database still count it).
    static func supplementaryGroups(_ provider: any SocketOptionProvider) -> Set<UInt32> {
        let future: EventLoopFuture<InlineArray<64, UInt32>> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(59))  // SO_PEERGROUPS
        var groups: Set<UInt32> = []
        future.assumeIsolated().whenSuccess { buffer in
            for index in buffer.indices where buffer[index] != 0 { groups.insert(buffer[index]) }
        }
        return groups
    }

    private func refuse(_ reason: String) {
        refusedPeer = reason
        guard let suppressed = Self.refusalLog.admit(now: .now) else { return }
        let more = suppressed > 0 ? " (and \(suppressed) more refused since the last one logged)" : ""
        logger.warning("control socket: refused a connection: \(reason)\(more)")
    }

    static let refusalLog = LogRateLimit()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let reason = refusedPeer else {
            context.fireChannelRead(data)
            return
        }
        guard !answered else { return }
        answered = true
        let body = Data(
            #"{"error":{"code":"forbidden","message":"refused by tokenbrokerd: \#(reason) on the control socket (control_allowed_uids / control_allowed_gids)"}}"#
                .utf8)
        var buffer = context.channel.allocator.buffer(capacity: body.count + 160)
        buffer.writeString(
            "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n")
        buffer.writeBytes(body)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

/// `struct ucred` from `<sys/socket.h>` (Linux), which Swift's Glibc module does not import:
/// three 32-bit fields, laid out as in C.
struct PeerCredentials: Sendable {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32
}

/// One log line a second at most: `admit` is nil for a line to drop, else how many were
/// dropped since the last one logged.
final class LogRateLimit: Sendable {
    private let state = Mutex<(last: ContinuousClock.Instant?, dropped: Int)>((nil, 0))

    func admit(now: ContinuousClock.Instant) -> Int? {
        state.withLock { state in
            if let last = state.last, now - last < .seconds(1) {
                state.dropped += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.dropped
        }
    }
}
