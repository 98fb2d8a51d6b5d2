import CCurl
import Foundation
import Glibc

/// The transport thread's work: add and remove easy handles, and sleep in `epoll_wait` on
/// exactly the sockets libcurl asks to watch (its socket interface,
/// `curl_multi_socket_action`), so a wake-up costs the transfers it concerns, not every
/// transfer in flight. Everything here runs on that one thread, hence `@unchecked Sendable`.
final class TransportLoop: @unchecked Sendable {
    let state: TransportState
    /// The `curl_multi` handle: only this thread calls libcurl with it.
    let multi: UnsafeMutableRawPointer
    var active: [UInt64: Transfer] = [:]
    /// Finished easy handles kept for the next transfers: `curl_easy_reset` is cheaper than
    /// a new handle, and connections live in the multi handle's cache either way.
    var idleHandles: [UnsafeMutableRawPointer] = []
    static let maxIdleHandles = 128
    /// The epoll instance watching libcurl's sockets and the wake-up eventfd.
    let epoll: Int32
    /// When libcurl next wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)`, in
    /// `DispatchTime` nanoseconds; nil while it wants none.
    var timerDeadline: UInt64?
    /// The connection cache's current limit (`CURLMOPT_MAXCONNECTS`), see ``fitConnectionCache()``.
    var connectionCacheLimit: Int
    /// Transfers whose socket could not be watched, failed once libcurl's call returns.
    var unwatchable: [(id: UInt64, error: TransportError)] = []

    /// `epoll` already watches the state's wake-up eventfd.
    init(state: TransportState, multi: UnsafeMutableRawPointer, epoll: Int32) {
        self.state = state
        self.multi = multi
        self.epoll = epoll
        connectionCacheLimit = state.configuration.maxCachedConnections
    }

    /// Raises the cache's limit to twice the most transfers ever in flight (never below the
    /// configured size): a limit below the number in flight makes libcurl close a connection
    /// as each transfer ends (the cache, in use and idle together, is over it) and open a new
    /// one for the next — with 1,000 requests in flight to one host that was one new
    /// connection per request. It is never lowered: a lower limit closes the idle connections
    /// a burst leaves as its last transfers end, just before the next burst would reuse them.
    /// Idle connections still go: libcurl closes those unused for `CURLOPT_MAXAGE_CONN` (118 s)
    /// or closed by the server.
    func fitConnectionCache() {
        let wanted = active.count * 2
        guard wanted > connectionCacheLimit else { return }
        connectionCacheLimit = wanted
        tb_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, wanted)
    }

    func run() {
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        tb_multi_setopt_socket_callback(multi, transportSocketCallback)
        tb_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, userdata)
        tb_multi_setopt_timer_callback(multi, transportTimerCallback)
        tb_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, userdata)
        var fds = [Int32](repeating: 0, count: 64)
        var masks = [Int32](repeating: 0, count: 64)
        while true {
            let (commands, shutdown) = state.takeCommands()
            for command in commands { handle(command) }
            if shutdown { break }
            runTimerIfDue()
            deliverFinishedTransfers()
            let ready = tb_epoll_wait(epoll, &fds, &masks, Int32(fds.count), waitMilliseconds())
            for index in 0..<Int(max(ready, 0)) {
                if fds[index] == state.wakeFD {
                    tb_eventfd_drain(state.wakeFD)
                } else {
                    var running: Int32 = 0
                    curl_multi_socket_action(multi, fds[index], masks[index], &running)
                }
            }
            runTimerIfDue()
            deliverFinishedTransfers()
        }
        for transfer in active.values {
            finish(transfer, error: TransportError(kind: .shutdown, message: "the transport was shut down"))
        }
        active.removeAll()
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
        state.close()
        curl_multi_cleanup(multi)
        close(epoll)
    }

    /// How long `epoll_wait` may sleep: until libcurl's timer is due, and never more than a
    /// second (a safety net; every event that matters wakes the thread before that).
    func waitMilliseconds() -> Int32 {
        guard let deadline = timerDeadline else { return 1_000 }
        let now = DispatchTime.now().uptimeNanoseconds
        guard deadline > now else { return 0 }
        // Round up: waking a millisecond early would only spin once more.
        return Int32(min((deadline - now + 999_999) / 1_000_000, 1_000))
    }

    func runTimerIfDue() {
        guard let deadline = timerDeadline, deadline <= DispatchTime.now().uptimeNanoseconds else { return }
        // Cleared first: the call below may set a new timer through the callback.
        timerDeadline = nil
        var running: Int32 = 0
        curl_multi_socket_action(multi, TB_CURL_SOCKET_TIMEOUT, 0, &running)
    }

    /// libcurl's timer callback: -1 cancels the timer, 0 asks for a call as soon as possible.
    func setTimer(milliseconds: Int) {
        timerDeadline = milliseconds < 0 ? nil : DispatchTime.now().uptimeNanoseconds + UInt64(milliseconds) * 1_000_000
    }

    /// libcurl's socket callback: what to watch on one of its sockets, or to stop watching it.
    func watch(socket: Int32, what: Int32, easy: UnsafeMutableRawPointer?) {
        if what == CURL_POLL_REMOVE {
            tb_epoll_forget(epoll, socket)
            return
        }
        guard tb_epoll_watch(epoll, socket, what) != 0 else { return }
        // An unwatched socket would leave its transfer waiting for its timeout: fail it now
        // (after libcurl's call returns; a callback may not remove handles).
        let reason = String(cString: strerror(errno))
        var pointer: UnsafeMutablePointer<CChar>?
        guard let easy, tb_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &pointer) == CURLE_OK, let pointer else { return }
        let transfer = Unmanaged<Transfer>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
        unwatchable.append((transfer.id, TransportError(kind: .other, message: "cannot watch the connection's socket: epoll_ctl: \(reason)")))
    }

    func handle(_ command: TransportState.Command) {
        switch command {
        case .start(let transfer):
            start(transfer)
        case .cancel(let id):
            // Unknown ids are transfers already finished (or never started): nothing to do.
            if let transfer = active[id] {
                finish(transfer, error: TransportError(kind: .cancelled, message: "the consumer went away"))
            }
        case .upload(let id, let data):
            guard let transfer = active[id] else { return }
            transfer.upload.append(data)
            resumeUpload(transfer)
        case .uploadEnd(let id):
            guard let transfer = active[id] else { return }
            transfer.uploadEnded = true
            resumeUpload(transfer)
        }
    }

    func resumeUpload(_ transfer: Transfer) {
        guard transfer.uploadPaused, let easy = transfer.easy else { return }
        transfer.uploadPaused = false
        curl_easy_pause(easy, TB_CURLPAUSE_CONT)
    }

    func start(_ transfer: Transfer) {
        do {
            try EasyHandle.configure(transfer, reusing: idleHandles.popLast(), verifyTLS: state.configuration.verifyTLS)
        } catch {
            transfer.complete(with: error)
            recycle(transfer.release())
            return
        }
        guard let easy = transfer.easy, curl_multi_add_handle(multi, easy) == CURLM_OK else {
            transfer.complete(with: TransportError(kind: .other, message: "curl_multi_add_handle failed"))
            recycle(transfer.release())
            return
        }
        active[transfer.id] = transfer
        fitConnectionCache()
        if case .stream(let stream) = transfer.request.body { state.pumpUpload(stream, id: transfer.id) }
    }

    func deliverFinishedTransfers() {
        if !unwatchable.isEmpty {
            for (id, error) in unwatchable { if let transfer = active[id] { finish(transfer, error: error) } }
            unwatchable.removeAll()
        }
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            var pointer: UnsafeMutablePointer<CChar>?
            tb_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &pointer)
            guard let pointer else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
            let code = tb_message_result(message)
            finish(transfer, error: code == CURLE_OK ? nil : EasyHandle.error(code, transfer: transfer))
        }
    }

    /// Removes the handle at once, tells the consumer, and releases libcurl's reference.
    func finish(_ transfer: Transfer, error: TransportError?) {
        active.removeValue(forKey: transfer.id)
        if let easy = transfer.easy { curl_multi_remove_handle(multi, easy) }
        transfer.complete(with: error)
        recycle(transfer.release())
    }

    func recycle(_ handle: UnsafeMutableRawPointer?) {
        guard let handle else { return }
        if idleHandles.count < Self.maxIdleHandles {
            idleHandles.append(handle)
        } else {
            curl_easy_cleanup(handle)
        }
    }
}

// MARK: libcurl's multi callbacks: userdata is the loop's unretained pointer (the loop outlives the multi handle).

let transportSocketCallback: tb_curl_socket_callback = { easy, socket, what, userdata, _ in
    guard let userdata else { return 0 }
    Unmanaged<TransportLoop>.fromOpaque(userdata).takeUnretainedValue().watch(socket: socket, what: what, easy: easy)
    return 0
}

let transportTimerCallback: tb_curl_timer_callback = { _, milliseconds, userdata in
    guard let userdata else { return 0 }
    Unmanaged<TransportLoop>.fromOpaque(userdata).takeUnretainedValue().setTimer(milliseconds: milliseconds)
    return 0
}
