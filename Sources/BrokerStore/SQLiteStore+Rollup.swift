import BrokerCore
import Foundation
internal import GRDB

/// The hourly decision rollup (migration `v3-decision-rollup`): sums per stream, hour,
/// provider, tenant and policy, kept in step with `decisions` by every writer.
extension SQLiteStore {
    static let hourMilliseconds: Int64 = 3_600_000

    /// One rollup row's key.
    struct RollupKey: Hashable {
        var streamKey: String
        var hour: Int64
        var provider: String
        var tenant: String
        var policy: String
    }

    /// One rollup row's sums.
    struct RollupSums {
        var requests: Int64 = 0
        var spend: Int64 = 0
        var switches: Int64 = 0
        var held: Int64 = 0
        var promptTokens: Int64 = 0
        var outputTokens: Int64 = 0
        var firstAt: Int64 = .max
        var lastAt: Int64 = .min

        mutating func add(
            count: Int64, spend: Int64, switched: Bool, held: Bool, promptTokens: Int, outputTokens: Int, firstAt: Int64, lastAt: Int64
        ) {
            requests += count
            self.spend += spend * count
            self.promptTokens += Int64(promptTokens) * count
            self.outputTokens += Int64(outputTokens) * count
            if switched { switches += count }
            if held { self.held += count }
            self.firstAt = min(self.firstAt, firstAt)
            self.lastAt = max(self.lastAt, lastAt)
        }
    }

    /// A batch's decisions summed in memory, written as one upsert per rollup row.
    struct RollupBatch {
        var rows: [RollupKey: RollupSums] = [:]

        /// Adds one decision. Decisions that chose no offer are not rolled up.
        mutating func add(_ record: DecisionRecord, atMilliseconds at: Int64) {
            add(record, hour: SQLiteStore.hour(at), count: 1, firstAt: at, lastAt: at)
        }

        /// Adds `count` decisions like `record` (the replay's repeats share everything but id
        /// and time) made within `hour`, the first at `firstAt` and the last at `lastAt`.
        mutating func add(_ record: DecisionRecord, hour: Int64, count: Int64, firstAt: Int64, lastAt: Int64) {
            guard let provider = record.chosen?.provider, count > 0 else { return }
            let key = RollupKey(streamKey: record.streamKey, hour: hour, provider: provider, tenant: record.tenant, policy: record.policy)
            rows[key, default: RollupSums()].add(
                count: count, spend: record.spend.roundedNanoUSD, switched: record.switched, held: record.heldByHysteresis,
                promptTokens: record.actualPromptTokens ?? record.promptTokensEstimate,
                outputTokens: record.actualOutputTokens ?? record.outputTokensEstimate, firstAt: firstAt, lastAt: lastAt)
        }

        func write(_ db: Database) throws {
            guard !rows.isEmpty else { return }
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO decision_rollup (stream_key, hour, provider, tenant, policy, requests, spend_nusd, switches, held,
                        prompt_tokens, output_tokens, first_at_ms, last_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (stream_key, hour, provider, tenant, policy) DO UPDATE SET
                        requests = requests + excluded.requests, spend_nusd = spend_nusd + excluded.spend_nusd,
                        switches = switches + excluded.switches, held = held + excluded.held,
                        prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                        output_tokens = output_tokens + excluded.output_tokens,
                        first_at_ms = MIN(first_at_ms, excluded.first_at_ms), last_at_ms = MAX(last_at_ms, excluded.last_at_ms)
                    """)
            for (key, sums) in rows {
                try statement.execute(arguments: [
                    key.streamKey, key.hour, key.provider, key.tenant, key.policy, sums.requests, sums.spend, sums.switches,
                    sums.held, sums.promptTokens, sums.outputTokens, sums.firstAt, sums.lastAt,
                ])
            }
        }
    }

    /// The hour number of a time in milliseconds (floor, as SQLite's `at_ms / 3600000` for times after 1970).
    static func hour(_ milliseconds: Int64) -> Int64 {
        milliseconds >= 0 ? milliseconds / hourMilliseconds : -((-milliseconds + hourMilliseconds - 1) / hourMilliseconds)
    }

    /// Recomputes the rollup from the decision log (one sorted pass): for a database whose
    /// decisions were written by something other than this store, e.g. a benchmark's filler.
    public func rebuildDecisionRollup() throws {
        try write("rebuild decision rollup") { db in try Self.rebuildDecisionRollup(db) }
    }

    /// Rows the switching measures read for `filter`, as a subquery with the rollup's columns
    /// (`stream_key, hour, provider, requests, spend_nusd, switches, held, prompt_tokens,
    /// output_tokens, first_at_ms, last_at_ms`; tokens as billed: usage, else the estimate):
    /// the rollup for the whole hours inside the filter's window, and the decisions themselves
    /// (one row each) for the partial hours at its edges, so any `since`/`until` stays exact.
    static func rollupSource(_ filter: SwitchingFilter) -> (sql: String, arguments: StatementArguments) {
        var common: [String] = []
        var commonArguments = StatementArguments()
        if let tenant = filter.tenant {
            common.append("tenant = ?")
            commonArguments += [tenant]
        }
        if let suffix = filter.tenantSuffix {
            common.append("substr(tenant, -length(?)) = ?")
            commonArguments += [suffix, suffix]
        }
        if let policy = filter.policy {
            common.append("policy = ?")
            commonArguments += [policy]
        }
        if let streams = filter.streamKeys {
            common.append("stream_key IN (\(streams.map { _ in "?" }.joined(separator: ", ")))")
            for stream in streams { commonArguments += [stream] }
        }
        let since = filter.since.map(StoredForms.milliseconds)
        let until = filter.until.map(StoredForms.milliseconds)
        // Whole hours [firstHour, endHour) come from the rollup.
        let firstHour = since.map { -hour(-$0) }  // ceiling
        let endHour = until.map { hour($0) }
        if let firstHour, let endHour, firstHour >= endHour {
            return rawSource(common, commonArguments, ranges: [(since, until)])
        }
        var rollupClauses = common
        var rollupArguments = commonArguments
        if let firstHour {
            rollupClauses.append("hour >= ?")
            rollupArguments += [firstHour]
        }
        if let endHour {
            rollupClauses.append("hour < ?")
            rollupArguments += [endHour]
        }
        var sql = """
            SELECT stream_key, hour, provider, requests, spend_nusd, switches, held, prompt_tokens, output_tokens,
                   first_at_ms, last_at_ms
            FROM decision_rollup
            \(rollupClauses.isEmpty ? "" : "WHERE " + rollupClauses.joined(separator: " AND "))
            """
        var arguments = rollupArguments
        var edges: [(Int64?, Int64?)] = []
        if let since, let firstHour, since < firstHour * hourMilliseconds { edges.append((since, firstHour * hourMilliseconds)) }
        if let until, let endHour, until > endHour * hourMilliseconds { edges.append((endHour * hourMilliseconds, until)) }
        if !edges.isEmpty {
            let raw = rawSource(common, commonArguments, ranges: edges)
            sql += "\nUNION ALL\n" + raw.sql
            arguments += raw.arguments
        }
        return (sql, arguments)
    }

    /// Decisions in `ranges` (half-open, in ms) shaped as rollup rows, one per decision: one
    /// SELECT per range, so each is an index range on `at_ms`.
    private static func rawSource(
        _ common: [String], _ commonArguments: StatementArguments, ranges: [(Int64?, Int64?)]
    ) -> (sql: String, arguments: StatementArguments) {
        var selects: [String] = []
        var arguments = StatementArguments()
        for (from, to) in ranges {
            var clauses = ["provider IS NOT NULL"] + common
            arguments += commonArguments
            if let from {
                clauses.append("at_ms >= ?")
                arguments += [from]
            }
            if let to {
                clauses.append("at_ms < ?")
                arguments += [to]
            }
            selects.append(
                """
                SELECT stream_key, at_ms / 3600000 AS hour, provider, 1 AS requests, spend_nusd, switched AS switches, held,
                       COALESCE(actual_prompt_tokens, prompt_tokens_est) AS prompt_tokens,
                       COALESCE(actual_output_tokens, output_tokens_est) AS output_tokens, at_ms AS first_at_ms, at_ms AS last_at_ms
                FROM decisions WHERE \(clauses.joined(separator: " AND "))
                """)
        }
        return (selects.joined(separator: "\nUNION ALL\n"), arguments)
    }
}
