public import BrokerCore
public import Foundation

/// The price history as a market the router can replay: one offer per host and model
/// identity, joined with the catalogue and the LMArena ratings for what each model is.
///
/// - Host and model come from ``HistoryIdentity``; a host's several keys for one model
///   (regional Bedrock copies, Vertex `@` aliases, dated snapshots) become one offer, priced
///   on each date by its least decorated key that has a price then.
/// - A model's quality, capabilities and context are the catalogue's when it has the model;
///   otherwise its quality is its LMArena rating (if any) and, since the history carries no
///   context or capabilities, it is assumed to fit any prompt and to have no optional
///   capability: streams that need tools or vision only reach catalogue models.
/// - A zero price in the history is a free preview or missing data, not a sourced free
///   price, so it is read as unknown: such an offer never wins on price.
/// - Hosts the catalogue has keep its terms; others (Bedrock, Vertex AI, xAI) are added
///   with default terms (internal data, region `unknown`).
public struct HistoryMarket: Sendable {
    public var timeline: MarketTimeline
    /// The history keys behind each offer, least decorated first.
    public var keys: [OfferID: [String]]
    /// Data-quality flags of the row that set each offer's price on a date.
    public var flags: [OfferID: [Date: Set<String>]]

    /// Flag given to a move that only reflects the offer's speaking key changing (an alias
    /// appearing or disappearing), not a price change.
    public static let keyChangedFlag = "key_changed"

    public init(history: PriceImport, catalogue: Catalogue, arena: ArenaRatings = ArenaRatings()) {
        struct Key: Hashable {
            var offer: OfferID
            var key: String
        }
        var rowsByKey: [Key: [ImportedOffer]] = [:]
        for row in history.offers {
            let offer = OfferID(provider: HistoryIdentity.host(row.id.provider), model: HistoryIdentity.model(row.id.model))
            rowsByKey[Key(offer: offer, key: row.id.description), default: []].append(row)
        }
        var keysByOffer: [OfferID: [String]] = [:]
        for key in rowsByKey.keys { keysByOffer[key.offer, default: []].append(key.key) }
        keysByOffer = keysByOffer.mapValues { keys in
            keys.sorted { (HistoryIdentity.decoration($0), $0) < (HistoryIdentity.decoration($1), $1) }
        }
        var versions: [OfferID: [PriceVersion]] = [:]
        var flags: [OfferID: [Date: Set<String>]] = [:]
        for (offer, keys) in keysByOffer {
            let rows = keys.map { rowsByKey[Key(offer: offer, key: $0)]!.sorted { $0.price.effectiveAt < $1.price.effectiveAt } }
            let dates = Array(Set(rows.flatMap { $0.map(\.price.effectiveAt) })).sorted()
            var list: [PriceVersion] = []
            var speaker: Int?
            for date in dates {
                guard let (index, row) = rows.enumerated().lazy.compactMap({ index, rows in
                    rows.last { $0.price.effectiveAt <= date }.map { (index, $0) }
                }).first
                else { continue }
                var version = row.price
                version.input = Self.routable(version.input)
                version.output = Self.routable(version.output)
                version.effectiveAt = date
                let keyChanged = speaker.map { $0 != index } ?? false
                speaker = index
                if let last = list.last, last.hasSamePrices(as: version) { continue }
                list.append(version)
                var rowFlags = row.price.effectiveAt == date ? (row.change?.flags ?? []) : []
                if keyChanged { rowFlags.insert(Self.keyChangedFlag) }
                if !rowFlags.isEmpty { flags[offer, default: [:]][date] = rowFlags }
            }
            versions[offer] = list
        }
        let modelIDs = Set(versions.keys.map(\.model))
        let models = modelIDs.sorted().map { id -> BrokerCore.Model in
            if let model = catalogue.models[id] { return model }
            let quality = arena[id].map { QualityScore(score: $0, source: "\(ArenaRatings.source): \(id)") }
            return BrokerCore.Model(id: id, family: id, quality: quality, advertisedContext: 1 << 30, maxOutputTokens: 1 << 30)
        }
        let hosts = Set(versions.keys.map(\.provider))
        let providers = hosts.sorted().map { host -> Provider in
            if var provider = catalogue.providers[host] {
                provider.enabled = true
                return provider
            }
            return Provider(id: host, wireFormat: .openai, baseURL: "replay:\(host)", region: "unknown")
        }
        self.timeline = MarketTimeline(
            providers: providers, models: models, versions: versions, policies: Array(catalogue.policies.values))
        self.keys = keysByOffer
        self.flags = flags
    }

    /// Every price move, with the flags of the row behind it.
    public var moves: [PriceMove] {
        timeline.moves { offer, date in flags[offer]?[date] ?? [] }
    }

    /// Price wars in the history; artefacts (and key changes) set aside unless `keepFlagged`.
    public func priceWars(window: TimeInterval = 30 * 86_400, keepFlagged: Bool = false) -> PriceWarReport {
        let setAside = keepFlagged ? [] : PriceWarDetector.artefactFlags.union([Self.keyChangedFlag])
        return PriceWarDetector(window: window, setAsideFlags: setAside).detect(moves)
    }

    static func routable(_ price: Price) -> Price { price == .free ? .unknown : price }
}
