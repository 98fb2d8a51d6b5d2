public import struct Foundation.Date

/// A catalogue compiled for routing at one moment: flat rows of the numbers the router
/// checks, plus offers pre-sorted by cost lower bounds so a decision touches only the
/// offers that could win. Immutable; rebuild it when the catalogue or the date changes.
///
/// The sorted orders: for a ladder of prompt:output ratios r, offers are sorted by
/// `key = minInput × r + minOutput`, where the minimums run over every price the offer
/// can charge (base, cached, long-context tiers). For a request whose ratio ρ = P/O is at
/// least r, every offer's list cost is at least `key × O`, so the router can stop scanning
/// the order for r as soon as that bound exceeds the cost of the last candidate it keeps.
public final class RoutingTable: Sendable {
    public let catalogue: Catalogue
    public let builtAt: Date
    public let offerIDs: [OfferID]
    /// The price version each offer is routed with: the catalogue's, or for self-hosted
    /// offers the one derived from hardware cost at `builtAt`.
    public let priceVersions: [PriceVersion?]
    let rows: [OfferRow]
    let providerIDs: [String]
    let providerIndex: [String: Int32]
    let offerIndex: [OfferID: Int32]
    let offersByProvider: [[Int32]]
    let offersByModel: [String: [Int32]]
    let rungs: [Rung]

    struct Rung: Sendable {
        /// key = minInput × inputWeight + minOutput × outputWeight; the ratio is inputWeight / outputWeight.
        var inputWeight: Int64
        var outputWeight: Int64
        var order: [Int32]
        var keys: [Int64]
    }

    /// Offers are indexed in `OfferID` order, so the index is also the last tie-break.
    public convenience init(catalogue: Catalogue, at date: Date) {
        self.init(catalogue: catalogue, at: date, ladder: Self.defaultLadder)
    }

    /// Ratios 0, 1/16, 1/8 … 65,536: prompt-heavy and output-heavy requests alike find a rung
    /// within a factor of two of their own ratio.
    static let defaultLadder: [(Int64, Int64)] = {
        var ladder: [(Int64, Int64)] = [(0, 1)]
        for shift in stride(from: Int64(4), through: 1, by: -1) { ladder.append((1, Int64(1) << shift)) }
        for shift in Int64(0)...16 { ladder.append((Int64(1) << shift, 1)) }
        return ladder
    }()

    init(catalogue: Catalogue, at date: Date, ladder: [(Int64, Int64)]) {
        self.catalogue = catalogue
        self.builtAt = date
        let offers = catalogue.offers.sorted { $0.id < $1.id }
        offerIDs = offers.map(\.id)
        offerIndex = Dictionary(offerIDs.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        providerIDs = Array(Set(offers.map(\.id.provider)).union(catalogue.providers.keys)).sorted()
        providerIndex = Dictionary(uniqueKeysWithValues: providerIDs.enumerated().map { ($1, Int32($0)) })
        var byProvider = Array(repeating: [Int32](), count: providerIDs.count)
        var byModel: [String: [Int32]] = [:]
        var versions: [PriceVersion?] = []
        var rows: [OfferRow] = []
        versions.reserveCapacity(offers.count)
        rows.reserveCapacity(offers.count)
        for (index, priced) in offers.enumerated() {
            let version = priced.selfHosted.map { $0.priceVersion(at: date, source: priced.price?.source ?? "self-hosted") }
                ?? priced.price
            versions.append(version)
            let providerNumber = providerIndex[priced.id.provider]!
            byProvider[Int(providerNumber)].append(Int32(index))
            byModel[priced.id.model, default: []].append(Int32(index))
            rows.append(
                OfferRow(
                    offer: priced.offer, provider: catalogue.providers[priced.id.provider],
                    providerNumber: providerNumber, model: catalogue.models[priced.id.model], price: version))
        }
        self.priceVersions = versions
        self.rows = rows
        self.offersByProvider = byProvider
        self.offersByModel = byModel
        self.rungs = ladder.map { weights in Self.rung(rows: rows, inputWeight: weights.0, outputWeight: weights.1) }
    }

    public var offerCount: Int { rows.count }
    /// Offers that can be routed to: enabled, of an enabled provider, with a known model
    /// (the rest are kept for price history).
    public var routableOfferCount: Int { rows.count { $0.enabled } }

    /// Routable offers of providers not in `providers` (say, those that cannot be called).
    public func routableOfferCount(excluding providers: Set<String>) -> Int {
        guard !providers.isEmpty else { return routableOfferCount }
        return rows.count { $0.enabled && !providers.contains(providerIDs[Int($0.provider)]) }
    }

    private static func rung(rows: [OfferRow], inputWeight: Int64, outputWeight: Int64) -> Rung {
        let keys: [Int64] = rows.map { $0.key(inputWeight: inputWeight, outputWeight: outputWeight) }
        // Equal keys in the router's tie-break order (higher quality, then offer order), so a
        // scan can stop at a tie it cannot win.
        let order: [Int32] = (0..<Int32(rows.count)).sorted { lhs, rhs in
            let left = keys[Int(lhs)]
            let right = keys[Int(rhs)]
            if left != right { return left < right }
            let leftQuality = rows[Int(lhs)].quality
            let rightQuality = rows[Int(rhs)].quality
            return leftQuality != rightQuality ? leftQuality > rightQuality : lhs < rhs
        }
        let sortedKeys: [Int64] = order.map { keys[Int($0)] }
        return Rung(inputWeight: inputWeight, outputWeight: outputWeight, order: order, keys: sortedKeys)
    }

    /// The rung with the largest ratio not above the request's ρ = prompt / output.
    func rung(for mix: TokenMix) -> Int {
        let output = Int128(max(1, mix.outputTokens))
        let prompt = Int128(mix.promptTokens)
        var best = 0
        // The ladder is in ascending ratio order: keep the last rung not above ρ.
        for (index, rung) in rungs.enumerated()
        where Int128(rung.inputWeight) * output <= prompt * Int128(rung.outputWeight) {
            best = index
        }
        return best
    }

    /// Resolves the request's `model` field and merges policy, request and overrides.
    ///
    /// `auto` (or an empty field) is the default policy; then a policy name; then a model id
    /// (adequate: quality at least that model's and its capabilities); then `provider/model`.
    public func query(for profile: RequestProfile, overrides: RequestOverrides = .init()) throws(ResolveError) -> RoutingQuery {
        let name = profile.model.isEmpty ? "auto" : profile.model
        if name == "auto" {
            return RoutingQuery(policy: catalogue.defaultPolicy, target: .policy("auto"), profile: profile, overrides: overrides)
        }
        if let policy = catalogue.policies[name] {
            return RoutingQuery(policy: policy, target: .policy(name), profile: profile, overrides: overrides)
        }
        if let model = catalogue.models[name] {
            var query = RoutingQuery(policy: catalogue.defaultPolicy, target: .model(name), profile: profile, overrides: overrides)
            query.capabilities.formUnion(model.capabilities.subtracting(.streaming))
            if let quality = model.quality?.score {
                query.minQuality = max(query.minQuality ?? quality, quality)
            }
            return query
        }
        if let offer = OfferID(name), offerIndex[offer] != nil {
            return RoutingQuery(policy: catalogue.defaultPolicy, target: .offer(offer), profile: profile, overrides: overrides)
        }
        throw ResolveError(model: name)
    }
}

/// The `model` field names no policy, model or offer in the catalogue.
public struct ResolveError: Error, Sendable, Hashable, CustomStringConvertible {
    public var model: String
    public init(model: String) { self.model = model }
    public var description: String { "unknown policy, model or offer: \(model)" }
}

/// The numbers the router checks for one offer, flattened so a scan stays in cache.
struct OfferRow: Sendable {
    static let noQuality = Int32.min
    static let unknown: Int64 = -1

    var quality: Int32
    var capabilities: Capabilities
    var maxDataClass: DataClass
    var enabled: Bool
    var effectiveContext: Int32
    var maxOutput: Int32
    var provider: Int32
    /// Long-context tiers need the full ``PriceVersion``; offers without them are priced from the row.
    var tiered: Bool
    var input: Int64
    var cachedInput: Int64
    var output: Int64
    var minInput: Int64
    var minOutput: Int64

    init(offer: Offer, provider: Provider?, providerNumber: Int32, model: Model?, price: PriceVersion?) {
        quality = model?.quality.map { Int32(clamping: $0.score) } ?? Self.noQuality
        capabilities = offer.capabilities ?? model?.capabilities ?? []
        maxDataClass = provider?.dataHandling.maxDataClass ?? .public
        // An offer without a provider or a model entry cannot be called or judged.
        enabled = offer.enabled && (provider?.enabled ?? false) && model != nil
        let context = min(offer.contextLimit ?? Int.max, model?.effectiveContext ?? 0)
        effectiveContext = Int32(clamping: context)
        maxOutput = Int32(clamping: model?.maxOutputTokens ?? 0)
        self.provider = providerNumber
        tiered = !(price?.longContextTiers.isEmpty ?? true)
        input = price?.input.nanoUSDPerMtok ?? Self.unknown
        cachedInput = price?.cachedInput.nanoUSDPerMtok ?? Self.unknown
        output = price?.output.nanoUSDPerMtok ?? Self.unknown
        if let price, input >= 0, output >= 0 {
            let inputs = [price.input, price.cachedInput] + price.longContextTiers.flatMap { [$0.input, $0.cachedInput] }
            let outputs = [price.output] + price.longContextTiers.map(\.output)
            minInput = inputs.compactMap(\.nanoUSDPerMtok).min() ?? input
            minOutput = outputs.compactMap(\.nanoUSDPerMtok).min() ?? output
        } else {
            minInput = Int64.max
            minOutput = Int64.max
        }
    }

    var hasKnownPrice: Bool { input >= 0 && output >= 0 }

    func key(inputWeight: Int64, outputWeight: Int64) -> Int64 {
        guard hasKnownPrice else { return Int64.max }
        let (a, overflowA) = minInput.multipliedReportingOverflow(by: inputWeight)
        let (b, overflowB) = minOutput.multipliedReportingOverflow(by: outputWeight)
        let (sum, overflowSum) = a.addingReportingOverflow(b)
        // Saturating keeps the bound a valid lower bound's order for realistic prices.
        return overflowA || overflowB || overflowSum ? Int64.max - 1 : sum
    }
}
