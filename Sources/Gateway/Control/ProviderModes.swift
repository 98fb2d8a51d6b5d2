import Synchronization

/// Providers an operator took out of routing, and how: `disabled` or `draining`. Both stop
/// new requests at once; requests already routed to the provider always finish (the
/// gateway never cuts a request in flight). Saved in the store, so a restart keeps them.
final class ProviderModes: Sendable {
    enum Mode: String, Sendable {
        case disabled, draining
    }

    private let modes: Mutex<[String: Mode]>

    /// - Parameter stored: the modes saved by earlier runs (`provider_modes`); unknown names are ignored.
    init(stored: [String: String] = [:]) {
        modes = Mutex(stored.compactMapValues(Mode.init(rawValue:)))
    }

    var all: [String: Mode] { modes.withLock { $0 } }

    func mode(_ provider: String) -> Mode? { modes.withLock { $0[provider] } }

    func set(_ provider: String, _ mode: Mode?) {
        modes.withLock { $0[provider] = mode }
    }
}
