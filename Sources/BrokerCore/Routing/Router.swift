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

/// One decision's working state.
struct RouterScan {
    let query: RoutingQuery
    let table: RoutingTable
    let context: RoutingContext
    let keep: Int
    let explain: Bool
    let neededContext: Int
    let previousProvider: Int32?
    /// Per provider: nil when no run-time or policy restriction applies.
    let providerVerdicts: [ExclusionReason?]?
    let creditByProvider: [Money]?
    let openCircuits: [Int32]

    var top: [Ranked] = []
    var previousBest: Ranked?
    var excluded: [Exclusion] = []
    var unrecorded = 0
    var evaluatedFirst: [Int32] = []

    struct Ranked {
        var candidate: Candidate
        var ordinal: Int32

        /// Cheaper first; then higher quality; then `provider/model` order.
        func precedes(_ other: Ranked) -> Bool {
            if candidate.cost.effective != other.candidate.cost.effective {
                return candidate.cost.effective < other.candidate.cost.effective
            }
            let lhsQuality = candidate.quality ?? Int.min
            let rhsQuality = other.candidate.quality ?? Int.min
            if lhsQuality != rhsQuality { return lhsQuality > rhsQuality }
            return ordinal < other.ordinal
        }
    }

    init(query: RoutingQuery, table: RoutingTable, context: RoutingContext, detail: RoutingDetail) {
        self.query = query
        self.table = table
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
            for index in 0..<Int32(table.rows.count) {
                if let restricted, !restricted.contains(index) {
                    record(Exclusion(offer: table.offerIDs[Int(index)], reason: .notRequested))
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
        // Offers whose cost the lower bound cannot see (credit makes them cheaper than list)
        // and the previous provider's offers (needed for hysteresis) are evaluated first.
        if let previousProvider { evaluatedFirst += table.offersByProvider[Int(previousProvider)] }
        if let creditByProvider {
            for (provider, credit) in creditByProvider.enumerated() where credit > .zero && Int32(provider) != previousProvider {
                evaluatedFirst += table.offersByProvider[provider]
            }
        }
        for index in evaluatedFirst { evaluate(index) }

        let rung = table.rungs[table.rung(for: query.mix)]
        let outputTokens = Int128(max(1, query.mix.outputTokens))
        let outputWeight = Int128(rung.outputWeight)
        for position in rung.order.indices {
            if top.count >= keep, let worst = top.last,
                Int128(rung.keys[position]) * outputTokens > worst.candidate.cost.effective.femtoUSD * outputWeight
            {
                break
            }
            let index = rung.order[position]
            if !evaluatedFirst.isEmpty, evaluatedFirst.contains(index) { continue }
            evaluate(index)
        }
    }

    mutating func evaluate(_ index: Int32) {
        switch check(index) {
        case .adequate(let ranked):
            insert(ranked)
            if ranked.candidate.offer.provider == context.previousProvider,
                previousBest.map({ ranked.precedes($0) }) ?? true
            {
                previousBest = ranked
            }
        case .excluded(let reason):
            record(Exclusion(offer: table.offerIDs[Int(index)], reason: reason))
        }
    }

    mutating func record(_ exclusion: Exclusion) {
        if explain || excluded.count < Router.recordedExclusionLimit {
            excluded.append(exclusion)
        } else {
            unrecorded += 1
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
        let row = table.rows[Int(index)]
        func excluded(_ reason: ExclusionReason) -> Verdict { .excluded(reason) }
        if !row.enabled { return excluded(.disabled) }
        if let providerVerdicts, let verdict = providerVerdicts[Int(row.provider)] { return excluded(verdict) }
        if !openCircuits.isEmpty, openCircuits.contains(index) { return excluded(.circuitOpen) }
        if row.maxDataClass < query.dataClass {
            return excluded(.dataClass(required: query.dataClass, allowed: row.maxDataClass))
        }
        if let floor = query.minQuality, Int(row.quality) < floor {
            return excluded(.quality(required: floor, actual: row.quality == OfferRow.noQuality ? nil : Int(row.quality)))
        }
        let missing = query.capabilities.subtracting(row.capabilities)
        if !missing.isEmpty { return excluded(.capability(missing: missing)) }
        if neededContext > Int(row.effectiveContext) {
            return excluded(.context(needed: neededContext, effective: Int(row.effectiveContext)))
        }
        if let requested = query.requestedMaxOutput, requested > Int(row.maxOutput) {
            return excluded(.outputLimit(requested: requested, limit: Int(row.maxOutput)))
        }
        let credit = creditByProvider?[Int(row.provider)] ?? .zero
        guard row.hasKnownPrice, let version = table.priceVersions[Int(index)],
            let cost = Pricing.cost(of: query.mix, at: version, credit: credit)
        else { return excluded(.unknownPrice) }
        if let limit = query.maxCost, cost.effective > limit {
            return excluded(.overBudget(expected: cost.effective, limit: limit))
        }
        let quality = row.quality == OfferRow.noQuality ? nil : Int(row.quality)
        let candidate = Candidate(offer: table.offerIDs[Int(index)], cost: cost, quality: quality, priceEffectiveAt: version.effectiveAt)
        return .adequate(Ranked(candidate: candidate, ordinal: table.ordinals[Int(index)]))
    }

    /// Applies the switching threshold and builds the decision.
    func finish() -> Decision {
        var ranked = top.map(\.candidate)
        var hysteresis = HysteresisOutcome.none
        if let previous = context.previousProvider, let winner = ranked.first, winner.offer.provider != previous {
            if let previousBest {
                let previousCost = previousBest.candidate.cost.effective.femtoUSD
                let saving = previousCost - winner.cost.effective.femtoUSD
                let threshold = Int128(query.policy.switchingThresholdBasisPoints)
                if saving * 10_000 > threshold * previousCost {
                    hysteresis = .switched(from: previous)
                } else {
                    let savingBasisPoints = previousCost > 0 ? Int(saving * 10_000 / previousCost) : 0
                    hysteresis = .held(previous: previous, cheaper: winner.offer, savingBasisPoints: savingBasisPoints)
                    ranked.removeAll { $0.offer == previousBest.candidate.offer }
                    ranked.insert(previousBest.candidate, at: 0)
                }
            } else {
                hysteresis = .switched(from: previous)
            }
        }
        let policyName = query.policy.id
        return Decision(
            policy: policyName, target: query.target, mix: query.mix, ranked: ranked, excluded: excluded,
            unrecordedExclusions: unrecorded, hysteresis: hysteresis, decidedAt: context.now)
    }
}
