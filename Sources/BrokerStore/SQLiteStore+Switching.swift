public import BrokerCore
public import Foundation
internal import GRDB

/// The switching measures of the design, computed in SQL over the `decisions` table, so
/// the same queries serve the live daemon's log and a replay's database.
extension SQLiteStore {
    /// The WHERE clause for a filter, over `decisions` aliased as `alias` (or unaliased).
    static func whereClause(_ filter: SwitchingFilter, alias: String = "") -> (sql: String, arguments: StatementArguments) {
        let column = { (name: String) in alias.isEmpty ? name : "\(alias).\(name)" }
        var clauses = ["\(column("provider")) IS NOT NULL"]
        var arguments = StatementArguments()
        if let since = filter.since {
            clauses.append("\(column("at_ms")) >= ?")
            arguments += [StoredForms.milliseconds(since)]
        }
        if let until = filter.until {
            clauses.append("\(column("at_ms")) < ?")
            arguments += [StoredForms.milliseconds(until)]
        }
        if let tenant = filter.tenant {
            clauses.append("\(column("tenant")) = ?")
            arguments += [tenant]
        }
        if let suffix = filter.tenantSuffix {
            clauses.append("substr(\(column("tenant")), -length(?)) = ?")
            arguments += [suffix, suffix]
        }
        if let policy = filter.policy {
            clauses.append("\(column("policy")) = ?")
            arguments += [policy]
        }
        if let streams = filter.streamKeys {
            clauses.append("\(column("stream_key")) IN (\(streams.map { _ in "?" }.joined(separator: ", ")))")
            for stream in streams { arguments += [stream] }
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    /// Decisions grouped by stream, period and provider: every period measure starts here.
    /// Read from the hourly rollup (plus the raw decisions of partial hours at the window's edges).
    static func periodAggregate(_ filter: SwitchingFilter, name: String = "a") -> (sql: String, arguments: StatementArguments) {
        let (source, arguments) = rollupSource(filter)
        return (
            """
            \(name) AS (
                SELECT stream_key AS s, \(filter.period.hourBucketSQL) AS p, provider AS v,
                       SUM(spend_nusd) AS spend, SUM(requests) AS n, MAX(last_at_ms) AS last_at
                FROM (\(source)) GROUP BY s, p, v)
            """, arguments
        )
    }

    /// Switch rate per stream, and overall as the entry with no stream key (first).
    public func switchRates(_ filter: SwitchingFilter) throws -> [SwitchRate] {
        let (source, arguments) = Self.rollupSource(filter)
        return try read("switch rates") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT stream_key, SUM(requests) AS n, SUM(switches) AS switches, SUM(held) AS held
                    FROM (\(source)) GROUP BY stream_key ORDER BY stream_key
                    """, arguments: arguments)
            let streams = rows.map { row in
                SwitchRate(streamKey: row["stream_key"], decisions: row["n"], switches: row["switches"], held: row["held"])
            }
            let total = SwitchRate(
                streamKey: nil, decisions: streams.map(\.decisions).reduce(0, +),
                switches: streams.map(\.switches).reduce(0, +), held: streams.map(\.held).reduce(0, +))
            return [total] + streams
        }
    }

    /// Churn per period, oldest first. The provider that served a stream last in the period
    /// before is read from a window reaching one period before `since`: the window's first
    /// period is compared with the one before it, not counted as all new.
    public func churn(_ filter: SwitchingFilter) throws -> [ChurnPoint] {
        var (aggregates, arguments) = Self.periodAggregate(filter)
        var lastSource = "a"
        if let since = filter.since {
            var reach = filter
            reach.since = filter.period.start(filter.period.bucket(containing: since) - 1)
            let previous = Self.periodAggregate(reach, name: "b")
            aggregates += ",\n" + previous.sql
            arguments += previous.arguments
            lastSource = "b"
        }
        return try read("churn") { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH \(aggregates),
                    last AS (
                        SELECT s, p, v FROM (
                            SELECT s, p, v, ROW_NUMBER() OVER (PARTITION BY s, p ORDER BY last_at DESC, v) AS rank FROM \(lastSource))
                        WHERE rank = 1)
                    SELECT a.p AS p, SUM(a.spend) AS spend, SUM(a.n) AS n,
                           SUM(CASE WHEN l.v IS NOT NULL AND l.v <> a.v THEN a.spend ELSE 0 END) AS churned_spend,
                           SUM(CASE WHEN l.v IS NOT NULL AND l.v <> a.v THEN a.n ELSE 0 END) AS churned_n
                    FROM a LEFT JOIN last l ON l.s = a.s AND l.p = a.p - 1
                    GROUP BY a.p ORDER BY a.p
                    """, arguments: arguments
            ).map { row in
                ChurnPoint(
                    start: filter.period.start(row["p"]), spendNanoUSD: row["spend"], churnedSpendNanoUSD: row["churned_spend"],
                    requests: row["n"], churnedRequests: row["churned_n"])
            }
        }
    }

    /// Retention per provider and period (the later period of each pair), by provider then time.
    public func retention(_ filter: SwitchingFilter) throws -> [RetentionPoint] {
        let (aggregate, arguments) = Self.periodAggregate(filter)
        return try read("retention") { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH \(aggregate),
                    active AS (SELECT DISTINCT s, p FROM a)
                    SELECT a.v AS v, a.p + 1 AS p, SUM(a.spend) AS previous,
                           SUM(CASE WHEN b.s IS NOT NULL THEN a.spend ELSE 0 END) AS kept
                    FROM a JOIN active n ON n.s = a.s AND n.p = a.p + 1
                    LEFT JOIN a b ON b.s = a.s AND b.v = a.v AND b.p = a.p + 1
                    GROUP BY a.v, a.p ORDER BY a.v, a.p
                    """, arguments: arguments
            ).map { row in
                RetentionPoint(
                    provider: row["v"], start: filter.period.start(row["p"]), previousSpendNanoUSD: row["previous"],
                    retainedSpendNanoUSD: row["kept"])
            }
        }
    }

    /// Loyalty index per provider: mean retention over the periods it had spend to keep.
    public func loyalty(_ filter: SwitchingFilter) throws -> [LoyaltyIndex] {
        Self.loyalty(from: try retention(filter))
    }

    /// Loyalty indices from retention points already read.
    public static func loyalty(from retention: [RetentionPoint]) -> [LoyaltyIndex] {
        let points = retention.filter { $0.previousSpendNanoUSD > 0 }
        let byProvider = Dictionary(grouping: points, by: \.provider)
        return byProvider.keys.sorted().map { provider in
            let list = byProvider[provider]!
            let sum = list.map { Int64($0.retentionBasisPoints) }.reduce(0, +)
            return LoyaltyIndex(provider: provider, periods: list.count, meanRetentionBasisPoints: Int(sum / Int64(list.count)))
        }
    }

    /// Spend per provider and period, oldest first, providers by name.
    public func spendByProvider(_ filter: SwitchingFilter) throws -> [ProviderSpend] {
        let (aggregate, arguments) = Self.periodAggregate(filter)
        return try read("spend by provider") { db in
            try Row.fetchAll(
                db,
                sql: "WITH \(aggregate) SELECT p, v, SUM(spend) AS spend, SUM(n) AS n FROM a GROUP BY p, v ORDER BY p, v",
                arguments: arguments
            ).map { row in
                ProviderSpend(start: filter.period.start(row["p"]), provider: row["v"], spendNanoUSD: row["spend"], requests: row["n"])
            }
        }
    }

    /// HHI of spend by provider per period, oldest first.
    public func concentration(_ filter: SwitchingFilter) throws -> [ConcentrationPoint] {
        Self.concentration(from: try spendByProvider(filter))
    }

    /// HHI per period from spends already read (oldest first).
    public static func concentration(from spends: [ProviderSpend]) -> [ConcentrationPoint] {
        var points: [ConcentrationPoint] = []
        var index = spends.startIndex
        while index < spends.endIndex {
            let start = spends[index].start
            var end = index
            while end < spends.endIndex, spends[end].start == start { end += 1 }
            let slice = spends[index..<end]
            points.append(
                ConcentrationPoint(
                    start: start, hhi: Concentration.hhi(slice.map(\.spendNanoUSD)),
                    providers: slice.filter { $0.spendNanoUSD > 0 }.count))
            index = end
        }
        return points
    }

    /// Every switch, oldest first, with the price event behind it.
    public func switchEvents(_ filter: SwitchingFilter) throws -> [SwitchEvent] {
        let (clause, arguments) = Self.whereClause(filter, alias: "d")
        return try read("switch events") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.stream_key, d.at_ms, d.provider, d.model, d.spend_nusd, d.price_effective_at AS new_at,
                           \(Self.previousOfferColumnsSQL)
                    FROM decisions d
                    \(Self.previousDecisionJoinSQL)
                    WHERE \(clause) AND d.switched = 1
                    ORDER BY d.at_ms, d.id
                    """, arguments: arguments
            ).map { row in
                let (from, eventAt) = Self.switchSource(row)
                return SwitchEvent(
                    streamKey: row["stream_key"], at: StoredForms.date(milliseconds: row["at_ms"]), from: from,
                    to: OfferID(provider: row["provider"], model: row["model"]), eventAt: eventAt,
                    spendNanoUSD: row["spend_nusd"])
            }
        }
    }

    /// Cost of loyalty per stream: actual spend against staying with the stream's first
    /// provider (DESIGN.md; the rollup has providers, not models, so another model of that
    /// provider counts as staying). Decisions that provider served cost what they cost on
    /// both sides; the others are priced at the first offer's price version in force at each,
    /// for the tokens they were billed for (the provider's usage, else the estimate). A stream
    /// that never moved costs exactly what it would have: both sides are the same sum of the
    /// same rounded costs.
    ///
    /// Counts, spend and token sums come from the hourly rollup (each price interval of the
    /// first offer read as a window, its partial hours from the decisions); only each stream's
    /// first decision is looked up in `decisions`.
    public func loyaltyCosts(_ filter: SwitchingFilter) throws -> [LoyaltyCost] {
        let (source, arguments) = Self.rollupSource(filter)
        return try read("cost of loyalty") { db in
            let starts = try Row.fetchAll(
                db,
                sql: """
                    SELECT stream_key, SUM(requests) AS n, MIN(first_at_ms) AS at_ms FROM (\(source))
                    GROUP BY stream_key ORDER BY stream_key
                    """, arguments: arguments)
            var costs: [LoyaltyCost] = []
            for start in starts {
                let streamKey: String = start["stream_key"]
                let firstAt: Int64 = start["at_ms"]
                let offerText = try String.fetchOne(
                    db,
                    sql: """
                        SELECT provider || char(9) || model FROM decisions d
                        WHERE d.stream_key = ? AND d.at_ms = ? AND d.provider IS NOT NULL ORDER BY d.id LIMIT 1
                        """, arguments: [streamKey, firstAt]) ?? ""
                let parts = offerText.split(separator: "\t", maxSplits: 1).map(String.init)
                let offer = OfferID(provider: parts.first ?? "", model: parts.count > 1 ? parts[1] : "")
                let intervals = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT start, stop, input_nusd, output_nusd FROM (
                            SELECT effective_at AS start, input_nusd, output_nusd,
                                   LEAD(effective_at) OVER (ORDER BY effective_at, id) AS stop
                            FROM price_versions WHERE provider = ? AND model = ?)
                        WHERE input_nusd IS NOT NULL AND output_nusd IS NOT NULL ORDER BY start
                        """, arguments: [offer.provider, offer.model])
                var priced = 0
                var actual: Int64 = 0
                var stayed: Int64 = 0
                var movedFemto: Int128 = 0
                for interval in intervals {
                    // The interval as a window, intersected with the filter's own.
                    var window = filter
                    window.streamKeys = [streamKey]
                    let from = StoredForms.date(seconds: interval["start"])
                    window.since = filter.since.map { max($0, from) } ?? from
                    if let stop = interval["stop"] as Int64? {
                        let to = StoredForms.date(seconds: stop)
                        window.until = filter.until.map { min($0, to) } ?? to
                    }
                    if let since = window.since, let until = window.until, since >= until { continue }
                    let (intervalSource, intervalArguments) = Self.rollupSource(window)
                    var sumArguments: StatementArguments = [offer.provider, offer.provider, offer.provider]
                    sumArguments += intervalArguments
                    guard
                        let sums = try Row.fetchOne(
                            db,
                            sql: """
                                SELECT SUM(requests) AS n, SUM(spend_nusd) AS spend,
                                       SUM(CASE WHEN provider = ? THEN spend_nusd ELSE 0 END) AS stayed,
                                       SUM(CASE WHEN provider = ? THEN 0 ELSE prompt_tokens END) AS prompt,
                                       SUM(CASE WHEN provider = ? THEN 0 ELSE output_tokens END) AS output
                                FROM (\(intervalSource))
                                """, arguments: sumArguments),
                        let n = sums["n"] as Int?
                    else { continue }
                    let input: Int64 = interval["input_nusd"]
                    let output: Int64 = interval["output_nusd"]
                    let prompt: Int64 = sums["prompt"]
                    let produced: Int64 = sums["output"]
                    priced += n
                    actual += sums["spend"] as Int64
                    stayed += sums["stayed"] as Int64
                    movedFemto += Int128(prompt) * Int128(input) + Int128(produced) * Int128(output)
                }
                costs.append(
                    LoyaltyCost(
                        streamKey: streamKey, firstOffer: offer, decisions: start["n"], pricedDecisions: priced,
                        actualNanoUSD: actual, loyalNanoUSD: stayed + Money(femtoUSD: movedFemto).roundedNanoUSD))
            }
            return costs
        }
    }

    /// Traffic on `offer` in the `window` before and after `at`, and the streams it drew.
    public func eventTraffic(offer: OfferID, at: Date, window: TimeInterval, filter: SwitchingFilter) throws -> EventTraffic {
        let (clause, arguments) = Self.whereClause(filter)
        let at = StoredForms.milliseconds(at)
        let span = Int64(window * 1_000)
        var totalsArguments: StatementArguments = [at, at, at, at, at, at + span]
        totalsArguments += [offer.provider, offer.model, at - span, at + span]
        totalsArguments += arguments
        var arrivalsArguments: StatementArguments = [offer.provider, offer.model, at, at + span]
        arrivalsArguments += arguments
        arrivalsArguments += [offer.provider, offer.model, at - span, at]
        arrivalsArguments += arguments
        return try read("event traffic") { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(CASE WHEN at_ms < ? THEN 1 ELSE 0 END), 0) AS n_before,
                           COALESCE(SUM(CASE WHEN at_ms < ? THEN spend_nusd ELSE 0 END), 0) AS spend_before,
                           COALESCE(SUM(CASE WHEN at_ms >= ? THEN 1 ELSE 0 END), 0) AS n_after,
                           COALESCE(SUM(CASE WHEN at_ms >= ? THEN spend_nusd ELSE 0 END), 0) AS spend_after,
                           COALESCE(SUM(CASE WHEN at_ms >= ? AND at_ms < ? AND switched = 1 THEN 1 ELSE 0 END), 0) AS switches
                    FROM decisions
                    WHERE provider = ? AND model = ? AND at_ms >= ? AND at_ms < ? AND \(clause)
                    """, arguments: totalsArguments)
            let arrivals = try Row.fetchAll(
                db,
                sql: """
                    SELECT stream_key, MIN(at_ms) AS first_at FROM decisions
                    WHERE provider = ? AND model = ? AND at_ms >= ? AND at_ms < ? AND \(clause)
                      AND stream_key NOT IN (
                        SELECT stream_key FROM decisions
                        WHERE provider = ? AND model = ? AND at_ms >= ? AND at_ms < ? AND \(clause))
                    GROUP BY stream_key ORDER BY stream_key
                    """, arguments: arrivalsArguments)
            let firstAt = arrivals.map { $0["first_at"] as Int64 }.min()
            return EventTraffic(
                offer: offer, at: StoredForms.date(milliseconds: at), requestsBefore: row?["n_before"] ?? 0,
                spendBeforeNanoUSD: row?["spend_before"] ?? 0, requestsAfter: row?["n_after"] ?? 0,
                spendAfterNanoUSD: row?["spend_after"] ?? 0, switchesIn: row?["switches"] ?? 0,
                streamsIn: arrivals.map { $0["stream_key"] as String },
                firstArrivalAt: firstAt.map(StoredForms.date(milliseconds:)))
        }
    }
}
