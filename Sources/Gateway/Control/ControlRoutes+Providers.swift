import BrokerStore
import BrokerCore
import ControlPlane
import Foundation
import Hummingbird
import ProviderAdapters
import Logging

/// `/v1/providers`: list, show, enable, disable, drain.
extension ControlRoutes {
    func addProviderRoutes(_ router: Hummingbird.Router<BasicRequestContext>) {
        router.control(.get, "/v1/providers") { _, _ in
            let snapshot = gateway.state.snapshot
            return ControlJSON.response(snapshot.catalogue.providers.keys.sorted().map { providerStatus($0, snapshot) })
        }
        router.control(.get, "/v1/providers/:provider") { _, context in
            let snapshot = gateway.state.snapshot
            return ControlJSON.response(providerStatus(try known(context, snapshot), snapshot))
        }
        for (action, mode) in [("enable", nil), ("disable", ProviderModes.Mode.disabled), ("drain", .draining)] {
            router.control(.post, RouterPath("/v1/providers/:provider/\(action)")) { _, context in
                let snapshot = gateway.state.snapshot
                let provider = try known(context, snapshot)
                // Stored first: a mode that could not be saved is not applied, and a saved one
                // is applied again when the daemon restarts.
                try store.setProviderMode(provider, mode?.rawValue, at: Date())
                modes.set(provider, mode)
                gateway.state.setDisabled(provider, mode != nil)
                gateway.logger.notice("control: provider \(provider) \(mode?.rawValue ?? "enabled")")
                return ControlJSON.response(providerStatus(provider, snapshot))
            }
        }
    }

    func known(_ context: BasicRequestContext, _ snapshot: BrokerSnapshot) throws -> String {
        let provider = try Self.parameter(context, "provider")
        guard snapshot.catalogue.providers[provider] != nil else {
            throw ControlError.notFound(
                "no provider \(provider) (known: \(snapshot.catalogue.providers.keys.sorted().joined(separator: ", ")))")
        }
        return provider
    }

    func providerStatus(_ id: String, _ snapshot: BrokerSnapshot) -> ProviderStatus {
        let provider = snapshot.catalogue.providers[id]!
        let upstream = snapshot.upstreams[id]
        let offers = snapshot.catalogue.offers.filter { $0.id.provider == id && $0.offer.enabled }
        let open = gateway.state.openCircuits(at: Date()).filter { $0.provider == id }.map(\.description)
        let state: String
        var reason: String?
        if !provider.enabled {
            state = "off"
            reason = "disabled in its provider file"
        } else if let mode = modes.mode(id) {
            state = mode.rawValue
            reason = mode == .draining ? "draining: no new requests, requests in flight finish" : "disabled by an operator"
        } else if let unavailable = snapshot.unavailable[id] {
            state = "unavailable"
            reason = unavailable
        } else {
            state = "enabled"
        }
        return ProviderStatus(
            state: state, id: id, name: provider.displayName, wireFormat: provider.wireFormat.rawValue,
            baseURL: upstream?.endpoint.baseURL ?? provider.baseURL, region: provider.region, offers: offers.count, openCircuits: open,
            creditUSD: snapshot.credits[id]?.decimalString(), reason: reason, demo: upstream?.isDemo ?? false,
            inFlight: gateway.state.inFlight(id))
    }
}
