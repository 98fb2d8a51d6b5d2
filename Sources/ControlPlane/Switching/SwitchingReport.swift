public import BrokerCore
public import BrokerStore
public import Foundation

/// Every switching measure of a database, per replay run (or once for a live store), plus
/// the price wars and the price series worth drawing. The `report --json` and `replay
/// --json` contract; the HTML report and the terminal views are drawn from it.
public struct SwitchingReport: Sendable, Codable {
    static let warsNote = "price_wars"

    public var period: SwitchingPeriod
    public var runs: [RunMeasures]
    public var wars: PriceWarReport
    /// Price series of the offers that carried traffic or moved in a war.
    public var prices: [PriceSeries]

    /// The measures of one run.
    public struct RunMeasures: Sendable, Codable {
        /// nil for a live store.
        public var run: ReplayRunRecord?
        /// Overall first, then per stream.
        public var switchRates: [SwitchRate]
        public var churn: [ChurnPoint]
        public var loyalty: [LoyaltyIndex]
        public var concentration: [ConcentrationPoint]
        public var spend: [ProviderSpend]
        public var switches: [SwitchEvent]
        public var loyaltyCosts: [LoyaltyCost]
        /// Traffic around each cut of each war, in war order.
        public var events: [EventTraffic]

        public var label: String {
            run.map { "threshold " + ExactDecimal.format(Int128($0.thresholdBasisPoints), scale: 2) + "%" } ?? "live"
        }
        public var overall: SwitchRate { switchRates.first ?? SwitchRate(streamKey: nil, decisions: 0, switches: 0, held: 0) }
        public var totalSpendNanoUSD: Int64 { spend.map(\.spendNanoUSD).reduce(0, +) }
        /// Spend-weighted churn over the whole span, in basis points.
        public var churnBasisPoints: Int {
            let spend = churn.map(\.spendNanoUSD).reduce(0, +)
            return spend > 0 ? Int(Int128(churn.map(\.churnedSpendNanoUSD).reduce(0, +)) * 10_000 / Int128(spend)) : 0
        }
        /// Mean of the providers' loyalty indices, in basis points; nil when no provider had
        /// spend to keep from one period to the next (one period, or nothing routed): 0% would
        /// say every provider lost everything.
        public var loyaltyBasisPoints: Int? {
            loyalty.isEmpty ? nil : loyalty.map(\.meanRetentionBasisPoints).reduce(0, +) / loyalty.count
        }
        /// Mean HHI over the periods; nil with no spend in any (0 would read as a perfectly
        /// spread market).
        public var meanHHI: Int? { concentration.isEmpty ? nil : concentration.map(\.hhi).reduce(0, +) / concentration.count }
        public var loyalExtraNanoUSD: Int64 { loyaltyCosts.map(\.extraNanoUSD).reduce(0, +) }
        /// Median and 90th percentile of time-to-switch, in seconds.
        public var switchLagSeconds: (median: Int64, p90: Int64)? {
            let lags = switches.compactMap(\.lagSeconds).sorted()
            guard !lags.isEmpty else { return nil }
            return (lags[(lags.count - 1) / 2], lags[min(lags.count - 1, lags.count * 9 / 10)])
        }
    }

    /// An offer's price over time (nano-USD per Mtok; nil where unknown).
    public struct PriceSeries: Sendable, Codable {
        public var offer: OfferID
        public var points: [Point]

        public struct Point: Sendable, Codable {
            public var at: Date
            public var inputNanoUSD: Int64?
            public var outputNanoUSD: Int64?
        }
    }

    /// Reads every measure from `store`. `wars` are the replay's when it stored them, else
    /// detected from the store's own price versions (no data flags to set aside there).
    public static func load(
        from store: SQLiteStore, period: SwitchingPeriod = .week, eventWindow: TimeInterval = 30 * 86_400, maxSeries: Int = 12
    ) throws -> SwitchingReport {
        let runs = try store.replayRuns()
        let wars: PriceWarReport
        if let note = try store.replayNote(warsNote) {
            wars = try ReportJSON.decode(PriceWarReport.self, note)
        } else {
            wars = try detectWars(in: store)
        }
        let streams = try store.streamKeys()
        let filters: [(ReplayRunRecord?, SwitchingFilter)] =
            runs.isEmpty
            ? [(nil, SwitchingFilter(period: period))]
            : runs.map { run in
                // A run's streams are those whose tenant (before the first "/") ends in its suffix.
                let own = streams.filter { $0.split(separator: "/", maxSplits: 1).first?.hasSuffix(run.tenantSuffix) ?? false }
                return (run, SwitchingFilter(streamKeys: own, period: period))
            }
        var measures: [RunMeasures] = []
        for (run, filter) in filters {
            let events = try wars.wars.flatMap(\.moves).map { move in
                try store.eventTraffic(offer: move.offer, at: move.at, window: eventWindow, filter: filter)
            }
            let retention = try store.retention(filter)
            let spend = try store.spendByProvider(filter)
            measures.append(
                RunMeasures(
                    run: run, switchRates: try store.switchRates(filter), churn: try store.churn(filter),
                    loyalty: SQLiteStore.loyalty(from: retention), concentration: SQLiteStore.concentration(from: spend),
                    spend: spend, switches: try store.switchEvents(filter),
                    loyaltyCosts: try store.loyaltyCosts(filter), events: events))
        }
        return SwitchingReport(
            period: period, runs: measures, wars: wars, prices: try priceSeries(store, measures: measures, wars: wars, limit: maxSeries))
    }

    /// The cuts of every war in which some cut carried traffic in `run`, with that traffic.
    public func trafficMoves(_ run: RunMeasures) -> [(PriceMove, EventTraffic)] {
        var result: [(PriceMove, EventTraffic)] = []
        var index = 0
        for war in wars.wars {
            let traffic = Array(run.events[index..<min(run.events.count, index + war.moves.count)])
            index += war.moves.count
            guard traffic.contains(where: { $0.requestsBefore + $0.requestsAfter > 0 }) else { continue }
            result += zip(war.moves, traffic).map { ($0, $1) }
        }
        return result
    }

    static func detectWars(in store: SQLiteStore) throws -> PriceWarReport {
        let entries = try store.priceHistory(PriceHistoryFilter())
        let catalogue = try store.catalogue(at: Date(timeIntervalSince1970: 0))
        var versions: [OfferID: [PriceVersion]] = [:]
        for entry in entries { versions[entry.offer, default: []].append(entry.version) }
        let timeline = MarketTimeline(providers: [], models: Array(catalogue.models.values), versions: versions, policies: [])
        return PriceWarDetector().detect(timeline.moves())
    }

    /// The offers with the most spend in any run, then the war movers, up to `limit`.
    static func priceSeries(_ store: SQLiteStore, measures: [RunMeasures], wars: PriceWarReport, limit: Int) throws -> [PriceSeries] {
        var spendByOffer: [OfferID: Int64] = [:]
        for run in measures {
            for event in run.switches { spendByOffer[event.to, default: 0] += event.spendNanoUSD }
            for cost in run.loyaltyCosts { spendByOffer[cost.firstOffer, default: 0] += cost.actualNanoUSD }
            for event in run.events where event.requestsAfter > 0 {
                spendByOffer[event.offer, default: 0] += event.spendAfterNanoUSD
            }
        }
        var chosen = spendByOffer.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        for move in wars.wars.flatMap(\.moves) where !chosen.contains(move.offer) && move.depthBasisPoints >= 5_000 {
            chosen.append(move.offer)
        }
        return try chosen.prefix(limit).map { offer in
            let points = try store.priceHistory(PriceHistoryFilter(offer: offer)).map {
                PriceSeries.Point(at: $0.version.effectiveAt, inputNanoUSD: $0.version.input.nanoUSDPerMtok, outputNanoUSD: $0.version.output.nanoUSDPerMtok)
            }
            return PriceSeries(offer: offer, points: points)
        }
    }
}
