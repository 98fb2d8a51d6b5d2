/// Chooses the cheapest adequate offer for a request. Pure: no I/O, no clock.
///
/// ```swift
/// let table = RoutingTable(catalogue: catalogue, at: now)
/// let query = try table.query(for: profile)
/// let decision = Router.route(query, in: table, context: RoutingContext(now: now))
/// decision.chosen?.offer   // e.g. deepseek/deepseek-chat
/// ```
public enum Router {
    /// Exclusions kept on a hot-path decision; the rest are only counted.
    public static let recordedExclusionLimit = 32

    public static func route(
        _ query: RoutingQuery, in table: RoutingTable, context: RoutingContext, detail: RoutingDetail = .decision
    ) -> Decision {
        var scan = RouterScan(query: query, table: table, context: context, detail: detail)
        scan.run()
        return scan.finish()
    }
}

/// One decision's working state. Offers are handled by index until ``finish()`` so the
/// scan touches no strings.
struct RouterScan {
    let query: RoutingQuery
    let table: RoutingTable
    let rows: [OfferRow]
    let context: RoutingContext
    let keep: Int
    let explain: Bool
    let neededContext: Int
    let requestedMaxOutput: Int
    let minQuality: Int32
    let previousProvider: Int32?
    /// Per provider: nil when no run-time or policy restriction applies.
    let providerVerdicts: [ExclusionReason?]?
    let creditByProvider: [Money]?
    let openCircuits: [Int32]

    var top: [Ranked] = []
    var previousBest: Ranked?
    var excluded: [(index: Int32, reason: ExclusionReason)] = []
    /// Only allocated once more than ``Router/recordedExclusionLimit`` offers are excluded.
    var unrecorded: [String: Int] = [:]
    var evaluatedFirst: [Int32] = []

    struct Ranked {
        var index: Int32
        var cost: CostEstimate
        var quality: Int32

        /// Cheaper first; then higher quality; then `provider/model` order (offers are indexed in that order).
        func precedes(_ other: Ranked) -> Bool {
            if cost.effective != other.cost.effective { return cost.effective < other.cost.effective }
            if quality != other.quality { return quality > other.quality }
            return index < other.index
        }
    }

    init(query: RoutingQuery, table: RoutingTable, context: RoutingContext, detail: RoutingDetail) {
        self.query = query
        self.table = table
        self.rows = table.rows
        self.context = context
        switch detail {
        case .decision(let keep):
            self.keep = max(1, keep)
            self.explain = false
        case .explain:
            self.keep = Int.max
            self.explain = true
        }
        neededContext = query.neededContext
        requestedMaxOutput = query.requestedMaxOutput ?? 0
        minQuality = query.minQuality.map { Int32(clamping: $0) } ?? Int32.min
        previousProvider = context.previousProvider.flatMap { table.providerIndex[$0] }
        let policy = query.policy
        if policy.allowedProviders != nil || policy.allowedRegions != nil || !context.disabledProviders.isEmpty {
            providerVerdicts = table.providerIDs.map { id -> ExclusionReason? in
                if context.disabledProviders.contains(id) { return .disabled }
                if let allowed = policy.allowedProviders, !allowed.contains(id) { return .providerNotAllowed }
                if let regions = policy.allowedRegions {
                    let region = table.catalogue.providers[id]?.region ?? ""
                    if !regions.contains(region) { return .regionNotAllowed(region: region) }
                }
                return nil
            }
        } else {
            providerVerdicts = nil
        }
        if context.credits.values.contains(where: { $0 > .zero }) {
            creditByProvider = table.providerIDs.map { context.credits[$0] ?? .zero }
        } else {
            creditByProvider = nil
        }
        openCircuits = context.openCircuits.compactMap { table.offerIndex[$0] }
        top.reserveCapacity(explain ? 16 : keep + 1)
        excluded.reserveCapacity(explain ? rows.count : Router.recordedExclusionLimit)
    }

    /// The offers a target limits the choice to, or nil when every offer competes.
    var restrictedCandidates: [Int32]? {
        switch query.target {
        case .policy: return nil
        case .offer(let id): return table.offerIndex[id].map { [$0] } ?? []
        case .model(let id):
            return table.catalogue.models[id]?.quality == nil ? (table.offersByModel[id] ?? []) : nil
        }
    }

    mutating func run() {
        if explain {
            let restricted = restrictedCandidates.map(Set.init)
            for index in 0..<Int32(rows.count) {
                if let restricted, !restricted.contains(index) {
                    record(index, .notRequested)
                } else {
                    evaluate(index)
                }
            }
            return
        }
        if let restricted = restrictedCandidates {
            for index in restricted { evaluate(index) }
            return
        }
        // Credit makes an offer cheaper than its list price, which the lower bound cannot
        // see: those providers' offers are evaluated before the scan.
        if let creditByProvider {
            for (provider, credit) in creditByProvider.enumerated() where credit > .zero {
                evaluatedFirst += table.offersByProvider[provider]
            }
            for index in evaluatedFirst { evaluate(index) }
        }
        scanByLowerBound()
    }

    /// Walks offers in ascending order of their cost lower bound and stops once no
    /// remaining offer can enter the kept candidates — or, for hysteresis, be the previous
    /// provider's best offer at a cost that could still hold the stream.
    mutating func scanByLowerBound() {
        let rung = table.rungs[table.rung(for: query.mix)]
        let outputTokens = Int128(max(1, query.mix.outputTokens))
        let outputWeight = Int128(rung.outputWeight)
        let threshold = Int128(query.policy.switchingThresholdBasisPoints)
        let keys = rung.keys
        let order = rung.order
        for position in order.indices {
            // Every remaining offer costs at least bound / outputWeight (femto-USD).
            let bound = Int128(keys[position]) * outputTokens
            let index = order[position]
            var candidatesComplete = false
            if top.count >= keep, let worst = top.last {
                // Past the worst kept cost nothing can enter; at exactly that cost only an offer
                // that wins the tie-break, and equal keys come in tie-break order.
                let worstBound = worst.cost.effective.femtoUSD * outputWeight
                candidatesComplete = bound > worstBound || (bound == worstBound && !winsTie(index, against: worst))
            }
            if candidatesComplete {
                guard let previousProvider, let winner = top.first else { break }
                // The previous provider's best offer matters only while it could hold the stream:
                // cost ≤ winner × 10,000 / (10,000 − threshold) (no limit at a threshold of 100%
                // or more), and below any of its offers already found.
                var limit: Int128? =
                    threshold < 10_000 ? winner.cost.effective.femtoUSD * 10_000 * outputWeight / (10_000 - threshold) : nil
                if let previousBest {
                    let best = previousBest.cost.effective.femtoUSD * outputWeight
                    limit = min(limit ?? best, best)
                }
                if let limit, bound > limit { break }
                if rows[Int(index)].provider != previousProvider { continue }
            }
            if !evaluatedFirst.isEmpty, evaluatedFirst.contains(index) { continue }
            evaluate(index)
        }
    }

    /// Whether `index`, at the same cost as `ranked`, would rank before it.
    func winsTie(_ index: Int32, against ranked: Ranked) -> Bool {
        let quality = rows[Int(index)].quality
        return quality != ranked.quality ? quality > ranked.quality : index < ranked.index
    }

    mutating func evaluate(_ index: Int32) {
        switch check(index) {
        case .adequate(let ranked):
            insert(ranked)
            if let previousProvider, rows[Int(index)].provider == previousProvider,
                previousBest.map({ ranked.precedes($0) }) ?? true
            {
                previousBest = ranked
            }
        case .excluded(let reason):
            record(index, reason)
        }
    }

    mutating func record(_ index: Int32, _ reason: ExclusionReason) {
        if explain || excluded.count < Router.recordedExclusionLimit {
            excluded.append((index, reason))
        } else {
            unrecorded[reason.kind, default: 0] += 1
        }
    }

    mutating func insert(_ ranked: Ranked) {
        if top.count >= keep, let worst = top.last, !ranked.precedes(worst) { return }
        var position = top.endIndex
        while position > top.startIndex, ranked.precedes(top[position - 1]) { position -= 1 }
        top.insert(ranked, at: position)
        if top.count > keep { top.removeLast() }
    }

    enum Verdict {
        case adequate(Ranked)
        case excluded(ExclusionReason)
    }

    /// The checks in the order ``ExclusionReason`` documents; the first failing one is the reason.
    func check(_ index: Int32) -> Verdict {
        let row = rows[Int(index)]
        if !row.enabled { return .excluded(.disabled) }
        if let providerVerdicts, let verdict = providerVerdicts[Int(row.provider)] { return .excluded(verdict) }
        if !openCircuits.isEmpty, openCircuits.contains(index) { return .excluded(.circuitOpen) }
        if row.maxDataClass < query.dataClass {
            return .excluded(.dataClass(required: query.dataClass, allowed: row.maxDataClass))
        }
        if row.quality < minQuality {
            return .excluded(
                .quality(required: Int(minQuality), actual: row.quality == OfferRow.noQuality ? nil : Int(row.quality)))
        }
        if !row.capabilities.isSuperset(of: query.capabilities) {
            return .excluded(.capability(missing: query.capabilities.subtracting(row.capabilities)))
        }
        if neededContext > Int(row.effectiveContext) {
            return .excluded(.context(needed: neededContext, effective: Int(row.effectiveContext)))
        }
        if requestedMaxOutput > Int(row.maxOutput) {
            return .excluded(.outputLimit(requested: requestedMaxOutput, limit: Int(row.maxOutput)))
        }
        guard row.hasKnownPrice, let cost = cost(of: row, index: index) else { return .excluded(.unknownPrice) }
        if let limit = query.maxCost, cost.effective > limit {
            return .excluded(.overBudget(expected: cost.effective, limit: limit))
        }
        return .adequate(Ranked(index: index, cost: cost, quality: row.quality))
    }

    /// ``Pricing/cost(of:at:credit:)``, from the row's numbers when no long-context tier can apply.
    func cost(of row: OfferRow, index: Int32) -> CostEstimate? {
        let credit = creditByProvider?[Int(row.provider)] ?? .zero
        if row.tiered {
            guard let version = table.priceVersions[Int(index)] else { return nil }
            return Pricing.cost(of: query.mix, at: version, credit: credit)
        }
        let mix = query.mix
        let cachedPrice = row.cachedInput >= 0 ? row.cachedInput : row.input
        let femto =
            Int128(mix.promptTokens - mix.cachedPromptTokens) * Int128(row.input)
            + Int128(mix.cachedPromptTokens) * Int128(cachedPrice) + Int128(mix.outputTokens) * Int128(row.output)
        let list = Money(femtoUSD: femto)
        return CostEstimate(list: list, effective: list > credit ? list - credit : .zero, tierAboveTokens: nil)
    }

    /// Applies the switching threshold and builds the decision.
    func finish() -> Decision {
        var ranked = top
        var hysteresis = HysteresisOutcome.none
        let previous = context.previousProvider
        if let previous, let winner = ranked.first, rows[Int(winner.index)].provider != previousProvider {
            if let previousBest {
                let previousCost = previousBest.cost.effective.femtoUSD
                let saving = previousCost - winner.cost.effective.femtoUSD
                let threshold = Int128(query.policy.switchingThresholdBasisPoints)
                if saving * 10_000 > threshold * previousCost {
                    hysteresis = .switched(from: previous)
                } else {
                    let savingBasisPoints = previousCost > 0 ? Int(saving * 10_000 / previousCost) : 0
                    hysteresis = .held(
                        previous: previous, cheaper: table.offerIDs[Int(winner.index)], savingBasisPoints: savingBasisPoints)
                    ranked.removeAll { $0.index == previousBest.index }
                    ranked.insert(previousBest, at: 0)
                }
            } else {
                hysteresis = .switched(from: previous)
            }
        }
        let candidates = ranked.map { ranked in
            Candidate(
                offer: table.offerIDs[Int(ranked.index)], cost: ranked.cost,
                quality: ranked.quality == OfferRow.noQuality ? nil : Int(ranked.quality),
                priceEffectiveAt: table.priceVersions[Int(ranked.index)]?.effectiveAt ?? context.now)
        }
        let exclusions = excluded.map { Exclusion(offer: table.offerIDs[Int($0.index)], reason: $0.reason) }
        return Decision(
            policy: query.policy.id, target: query.target, mix: query.mix, ranked: candidates, excluded: exclusions,
            unrecordedExclusions: unrecorded, hysteresis: hysteresis, decidedAt: context.now)
    }
}
