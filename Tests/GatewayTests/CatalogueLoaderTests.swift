import BrokerCore
import BrokerStore
import Foundation
import Testing

@testable import Gateway

@Suite struct CatalogueLoaderTests {
    static let providers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Providers").path

    /// A configuration the provider files refute is refused before they are synced: the store
    /// (which a periodic refresh rebuilds the catalogue from) keeps the catalogue it had.
    @Test func aBootstrapKeyNamingNoPolicyIsRefusedBeforeAnythingIsWritten() throws {
        let store = InMemoryStore()
        let loader = CatalogueLoader(store: store, environment: [:])
        var configuration = GatewayConfiguration()
        configuration.providersDirectory = Self.providers
        configuration.bootstrapKeys = [.init(tenant: "t", key: "tb-0123456789abcdef", policy: "no-such-policy")]
        #expect {
            _ = try loader.load(configuration: configuration, at: Date())
        } throws: { error in
            (error as? ConfigurationError)?.field == "keys[0].policy"
        }
        #expect(try store.catalogue(at: Date()).providers.isEmpty)
        configuration.bootstrapKeys = []
        let (snapshot, _) = try loader.load(configuration: configuration, at: Date())
        #expect(snapshot.table.routableOfferCount > 0)
    }

    /// `/readyz` and `status` count the offers routing can call: without credentials or the
    /// demo overlay, a provider's offers are in the table but none can be sent a request
    /// (the daemon reported 62 offers and answered ready while every one was excluded).
    @Test func offersOfProvidersThatCannotBeCalledAreNotCounted() throws {
        var configuration = GatewayConfiguration()
        configuration.providersDirectory = Self.providers
        let loader = CatalogueLoader(store: InMemoryStore(), environment: [:])
        let (bare, _) = try loader.load(configuration: configuration, at: Date())
        #expect(!bare.unavailable.isEmpty)
        // Routable (enabled, of an enabled provider, with a known model) and callable.
        let callable = bare.catalogue.offers.filter { entry in
            entry.offer.enabled && bare.catalogue.providers[entry.id.provider]?.enabled == true
                && bare.catalogue.models[entry.id.model] != nil && bare.unavailable[entry.id.provider] == nil
        }
        #expect(bare.callableOfferCount < bare.table.routableOfferCount)
        #expect(bare.callableOfferCount == callable.count)
        configuration.demoUpstream = "http://127.0.0.1:9"
        let (demo, _) = try loader.load(configuration: configuration, at: Date())
        #expect(demo.unavailable.isEmpty)
        #expect(demo.callableOfferCount == demo.table.routableOfferCount)
    }
}
