import CCurl
import Foundation

/// The transport thread's work: add and remove easy handles, drive `curl_multi_perform`,
/// deliver finished transfers, sleep in `curl_multi_poll` until there is more to do.
/// Everything here runs on that one thread, hence `@unchecked Sendable`.
final class TransportLoop: @unchecked Sendable {
    let state: TransportState
    var active: [UInt64: Transfer] = [:]
    /// Finished easy handles kept for the next transfers: `curl_easy_reset` is cheaper than
    /// a new handle, and connections live in the multi handle's cache either way.
    var idleHandles: [UnsafeMutableRawPointer] = []
    static let maxIdleHandles = 128

    init(state: TransportState) {
        self.state = state
    }

    var multi: UnsafeMutableRawPointer { state.multi.pointer }

    func run() {
        while true {
            let (commands, shutdown) = state.takeCommands()
            for command in commands { handle(command) }
            if shutdown { break }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            deliverFinishedTransfers()
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1_000, &ready)
        }
        for transfer in active.values {
            finish(transfer, error: TransportError(kind: .shutdown, message: "the transport was shut down"))
        }
        active.removeAll()
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
        state.close()
        curl_multi_cleanup(multi)
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
        if case .stream(let stream) = transfer.request.body { state.pumpUpload(stream, id: transfer.id) }
    }

    func deliverFinishedTransfers() {
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
