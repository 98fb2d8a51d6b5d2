import Synchronization

/// Announces `tokenbrokerd listening on ADDR` once both the gateway's HTTP server and the
/// control socket accept connections, so whoever waits for the line can use either at once.
final class ListeningAnnouncement: Sendable {
    private struct State {
        var address: String?
        var controlReady = false
        var announced = false
    }

    private let state = Mutex(State())
    private let announce: @Sendable (String) -> Void

    init(_ announce: @escaping @Sendable (String) -> Void) {
        self.announce = announce
    }

    /// The gateway's bound address, once known.
    var address: String? { state.withLock { $0.address } }

    func gatewayBound(_ address: String) {
        update { $0.address = address }
    }

    func controlBound() {
        update { $0.controlReady = true }
    }

    private func update(_ change: (inout State) -> Void) {
        let address = state.withLock { state -> String? in
            change(&state)
            guard !state.announced, state.controlReady, let address = state.address else { return nil }
            state.announced = true
            return address
        }
        if let address { announce(address) }
    }
}
