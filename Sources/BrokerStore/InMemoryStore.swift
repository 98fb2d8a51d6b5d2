public import BrokerCore
public import Foundation
import Synchronization

/// A ``CatalogueStore`` in memory, with the same semantics as ``SQLiteStore``: for tests
/// and for offline tools that need no file.
public final class InMemoryStore: CatalogueStore {
    struct State {
        var providers: [String: Provider] = [:]
        var models: [String: Model] = [:]
        var offers: [OfferID: (offer: Offer, selfHosted: SelfHostedCost?)] = [:]
        var versions: [PriceHistoryEntry] = []
        var policies: [String: Policy] = [:]
        var credits: [String: Credit] = [:]
        var providerModes: [String: String] = [:]
        var keys: [APIKeyRecord] = []
        var decisions: [DecisionRecord] = []

        /// The version of `offer` in force at `date`: latest effective date, then latest appended.
        func version(of offer: OfferID, at date: Date) -> PriceVersion? {
            versions.filter { $0.offer == offer && $0.version.effectiveAt <= date }
                .max { ($0.version.effectiveAt, $0.id) < ($1.version.effectiveAt, $1.id) }?.version
        }

        mutating func append(_ version: PriceVersion, for offer: OfferID, recordedAt: Date) {
            versions.append(PriceHistoryEntry(id: Int64(versions.count + 1), offer: offer, version: version, recordedAt: recordedAt))
        }

        mutating func appendIfChanged(_ version: PriceVersion, for offer: OfferID, recordedAt: Date) -> Bool {
            if let current = self.version(of: offer, at: version.effectiveAt), current.hasSamePrices(as: version) {
                return false
            }
            append(version, for: offer, recordedAt: recordedAt)
            return true
        }
    }

    let state = Mutex(State())

    public init() {}

    public func syncCatalogue(_ catalogue: Catalogue, at date: Date) throws -> SyncReport {
        state.withLock { state in
            var report = SyncReport()
            for id in state.providers.keys { state.providers[id]?.enabled = false }
            for provider in catalogue.providers.values {
                state.providers[provider.id] = provider
                report.providers += 1
            }
            for model in catalogue.models.values {
                state.models[model.id] = model
                report.models += 1
            }
            for id in state.offers.keys where catalogue.providers[id.provider] != nil {
                state.offers[id]?.offer.enabled = false
            }
            for priced in catalogue.offers {
                state.offers[priced.id] = (priced.offer, priced.selfHosted)
                report.offers += 1
                let version = priced.selfHosted.map {
                    $0.priceVersion(at: date, source: priced.price?.source ?? "self-hosted hardware cost")
                } ?? priced.price
                guard let version else { continue }
                if state.appendIfChanged(version, for: priced.id, recordedAt: date) {
                    report.priceVersionsAppended += 1
                } else {
                    report.priceVersionsUnchanged += 1
                }
            }
            state.policies = catalogue.policies
            report.policies = catalogue.policies.count
            return report
        }
    }

    public func catalogue(at date: Date) throws -> Catalogue {
        state.withLock { state in
            let offers = state.offers.values.map { entry in
                PricedOffer(offer: entry.offer, price: state.version(of: entry.offer.id, at: date), selfHosted: entry.selfHosted)
            }
            return Catalogue(
                providers: Array(state.providers.values), models: Array(state.models.values), offers: offers,
                policies: Array(state.policies.values))
        }
    }

    public func importPrices(_ batch: PriceBatch) throws -> ImportReport {
        state.withLock { state in
            var report = ImportReport()
            for model in batch.models where state.models[model.id] == nil {
                state.models[model.id] = model
                report.modelsAdded += 1
            }
            for offer in batch.offers where state.offers[offer.id] == nil {
                state.offers[offer.id] = (offer, nil)
                report.offersAdded += 1
            }
            let now = Date()
            for (offer, version) in batch.versions {
                if state.appendIfChanged(version, for: offer, recordedAt: now) {
                    report.priceVersionsAppended += 1
                } else {
                    report.priceVersionsUnchanged += 1
                }
            }
            return report
        }
    }

    public func appendPriceVersion(_ version: PriceVersion, for offer: OfferID) throws -> Bool {
        try state.withLock { state in
            guard state.offers[offer] != nil else {
                throw StoreError(operation: "append price for \(offer)", message: "no such offer")
            }
            return state.appendIfChanged(version, for: offer, recordedAt: Date())
        }
    }

    public func priceHistory(_ filter: PriceHistoryFilter) throws -> [PriceHistoryEntry] {
        state.withLock { state in
            state.versions.filter { entry in
                (filter.offer.map { entry.offer == $0 } ?? true) && (filter.model.map { entry.offer.model == $0 } ?? true)
                    && (filter.since.map { entry.version.effectiveAt >= $0 } ?? true)
            }.sorted { ($0.version.effectiveAt, $0.id) < ($1.version.effectiveAt, $1.id) }
        }
    }

    public func setCredit(_ credit: Credit) throws {
        state.withLock { $0.credits[credit.provider] = credit }
    }

    public func credits() throws -> [Credit] {
        state.withLock { $0.credits.values.sorted { $0.provider < $1.provider } }
    }

    public func setProviderMode(_ provider: String, _ mode: String?, at date: Date) throws {
        state.withLock { $0.providerModes[provider] = mode }
    }

    public func providerModes() throws -> [String: String] {
        state.withLock { $0.providerModes }
    }

    public func createKey(_ key: APIKeyRecord) throws {
        try state.withLock { state in
            guard !state.keys.contains(where: { $0.id == key.id || $0.keyHash == key.keyHash }) else {
                throw StoreError(operation: "create key for tenant \(key.tenant)", message: "a key with that id or hash exists")
            }
            state.keys.append(key)
        }
    }

    public func key(hash: String) throws -> APIKeyRecord? {
        state.withLock { $0.keys.first { $0.keyHash == hash } }
    }

    public func keys() throws -> [APIKeyRecord] {
        state.withLock { $0.keys.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }
    }

    public func revokeKey(id: String, at date: Date) throws -> Bool {
        state.withLock { state in
            guard let index = state.keys.firstIndex(where: { $0.id == id }) else { return false }
            state.keys[index].revokedAt = state.keys[index].revokedAt ?? date
            return true
        }
    }

    public func recordDecisions(_ records: [DecisionRecord]) throws {
        try state.withLock { state in
            let known = Set(state.decisions.map(\.id))
            if let duplicate = records.first(where: { known.contains($0.id) }) {
                throw StoreError(operation: "record \(records.count) decisions", message: "decision \(duplicate.id) exists")
            }
            state.decisions += records
        }
    }

    public func decisions(_ filter: DecisionFilter) throws -> [DecisionRecord] {
        state.withLock { state in
            Array(
                state.decisions.filter { record in
                    (filter.since.map { record.at >= $0 } ?? true) && (filter.tenant.map { record.tenant == $0 } ?? true)
                        && (filter.policy.map { record.policy == $0 } ?? true)
                }.sorted { ($0.at, $0.id) > ($1.at, $1.id) }.prefix(filter.limit))
        }
    }

    public func spend(tenant: String, since date: Date) throws -> Money {
        state.withLock { state in
            state.decisions.filter { $0.tenant == tenant && $0.at >= date && $0.chosen != nil }.reduce(Money.zero) { total, record in
                total + Money(nanoUSD: (record.actualCost ?? record.expectedCost ?? .zero).roundedNanoUSD)
            }
        }
    }

    public func latestProviders() throws -> [String: String] {
        state.withLock { state in
            var latest: [String: DecisionRecord] = [:]
            for record in state.decisions where record.chosen != nil {
                if let current = latest[record.streamKey], current.at >= record.at { continue }
                latest[record.streamKey] = record
            }
            return latest.compactMapValues { $0.chosen?.provider }
        }
    }
}
