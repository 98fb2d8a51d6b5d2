import Synchronization

/// Providers an operator took out of routing, and how: `disabled` or `draining`. Both stop
/// new requests at once; requests already routed to the provider always finish (the
/// gateway never cuts a request in flight). Runtime state: a restart brings every provider back.
final class ProviderModes: Sendable {
    enum Mode: String, Sendable {
        case disabled, draining
    }

    private let modes = Mutex<[String: Mode]>([:])

    func mode(_ provider: String) -> Mode? { modes.withLock { $0[provider] } }

    func set(_ provider: String, _ mode: Mode?) {
        modes.withLock { $0[provider] = mode }
    }
}
