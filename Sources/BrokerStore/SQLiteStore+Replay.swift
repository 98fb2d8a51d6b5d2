import BrokerCore
import Foundation
internal import GRDB

/// Writes and reads what a replay adds to a database: its runs and, in bulk, its decisions.
extension SQLiteStore {
    public func recordReplayRun(_ run: ReplayRunRecord) throws {
        try write("record replay run \(run.id)") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO replay_runs (id, threshold_bp, tenant_suffix, workload, history, first_day, last_day, requests)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.thresholdBasisPoints, run.tenantSuffix, run.workload, run.history,
                    StoredForms.seconds(run.firstDay), StoredForms.seconds(run.lastDay), run.requests,
                ])
        }
    }

    /// Replay runs by threshold; empty for a live store.
    public func replayRuns() throws -> [ReplayRunRecord] {
        try read("list replay runs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM replay_runs ORDER BY threshold_bp, id").map { row in
                ReplayRunRecord(
                    id: row["id"], thresholdBasisPoints: row["threshold_bp"], tenantSuffix: row["tenant_suffix"],
                    workload: row["workload"], history: row["history"], firstDay: StoredForms.date(seconds: row["first_day"]),
                    lastDay: StoredForms.date(seconds: row["last_day"]), requests: row["requests"])
            }
        }
    }

    /// Stores a note (JSON text) under `key`, replacing any earlier one.
    public func setReplayNote(_ key: String, _ value: String) throws {
        try write("write replay note \(key)") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO replay_notes (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }

    public func replayNote(_ key: String) throws -> String? {
        try read("read replay note \(key)") { db in
            try String.fetchOne(db, sql: "SELECT value FROM replay_notes WHERE key = ?", arguments: [key])
        }
    }

    /// Writes repeated decisions in one transaction; the JSON columns are encoded once per template.
    public func recordRepeatedDecisions(_ batches: [RepeatedDecision]) throws {
        guard !batches.isEmpty else { return }
        try write("record replayed decisions") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO decisions (id, at_ms, tenant, policy, stream_key, target, provider, model,
                        expected_cost_nusd, price_effective_at, prompt_tokens_est, output_tokens_est, candidates,
                        exclusions, previous_provider, switched, held, attempts, status, actual_prompt_tokens,
                        actual_output_tokens, actual_cost_nusd, spend_nusd, latency_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for batch in batches {
                let record = batch.template
                var values: [(any DatabaseValueConvertible)?] = [
                    "", 0, record.tenant, record.policy, record.streamKey,
                    record.target, record.chosen?.provider, record.chosen?.model, record.expectedCost?.roundedNanoUSD,
                    record.priceEffectiveAt.map(StoredForms.seconds), record.promptTokensEstimate,
                    record.outputTokensEstimate, StoredForms.json(record.candidates), StoredForms.json(record.exclusions),
                    record.previousProvider, record.switched, record.heldByHysteresis, StoredForms.json(record.attempts),
                    record.status, record.actualPromptTokens, record.actualOutputTokens,
                    record.actualCost?.roundedNanoUSD, record.spend.roundedNanoUSD, record.latencyMilliseconds,
                ]
                for occurrence in batch.occurrences {
                    values[0] = occurrence.id
                    values[1] = StoredForms.milliseconds(occurrence.at)
                    statement.setUncheckedArguments(StatementArguments(values))
                    try statement.execute()
                }
            }
        }
    }
}
