import BrokerCore
import Foundation
internal import GRDB
internal import GRDBSQLite

/// SQLite copies the bound text (`SQLITE_TRANSIENT`, a macro Swift does not import).
private var sqliteTransient: sqlite3_destructor_type { unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self) }

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

    /// Writes repeated decisions and their hourly rollup in one transaction.
    ///
    /// The bulk path of a replay: one statement prepared once, each template's 22 shared
    /// columns (the JSON encoded once) bound once per template, and each row rebinding only
    /// its id and time through raw `sqlite3_bind_*` — no per-row argument arrays, no per-row
    /// copies of the JSON text.
    public func recordRepeatedDecisions(_ batches: [RepeatedDecision]) throws {
        guard !batches.isEmpty else { return }
        try write("record replayed decisions") { db in
            var rollup = RollupBatch()
            let statement = try db.makeStatement(sql: Self.insertDecisionSQL)
            let handle = statement.sqliteStatement
            func check(_ code: CInt, _ expected: CInt = SQLITE_OK) throws {
                guard code == expected else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            for batch in batches {
                let record = batch.template
                let template = Self.insertDecisionValues(record, id: "", atMilliseconds: 0)
                // Binds (and copies) every column once; rows then swap only id and time.
                statement.setUncheckedArguments(StatementArguments(template.map { $0?.databaseValue ?? .null }))
                // Runs of occurrences within one hour become one rollup addition.
                var runHour: Int64 = 0
                var runCount: Int64 = 0
                var runFirst: Int64 = 0
                var runLast: Int64 = 0
                for occurrence in batch.occurrences {
                    let at = StoredForms.milliseconds(occurrence.at)
                    var id = occurrence.id
                    try id.withUTF8 { bytes in
                        try check(sqlite3_bind_text(handle, 1, bytes.baseAddress, CInt(bytes.count), sqliteTransient))
                    }
                    try check(sqlite3_bind_int64(handle, 2, at))
                    try check(sqlite3_step(handle), SQLITE_DONE)
                    try check(sqlite3_reset(handle))
                    let hour = Self.hour(at)
                    if runCount > 0, hour == runHour {
                        runCount += 1
                        runFirst = min(runFirst, at)
                        runLast = max(runLast, at)
                    } else {
                        rollup.add(record, hour: runHour, count: runCount, firstAt: runFirst, lastAt: runLast)
                        (runHour, runCount, runFirst, runLast) = (hour, 1, at, at)
                    }
                }
                rollup.add(record, hour: runHour, count: runCount, firstAt: runFirst, lastAt: runLast)
            }
            try rollup.write(db)
        }
    }

    /// Runs a bulk load of decisions with the table's secondary indexes dropped, then builds
    /// them again from their own stored definitions: building an index once, sorted, is far
    /// cheaper than updating five B-trees per row. Meant for a replay's fresh database.
    public func withDecisionIndexesDeferred<T>(_ load: () throws -> T) throws -> T {
        let definitions = try read("read decision indexes") { db in
            try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decisions' AND sql IS NOT NULL ORDER BY name"
            ).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
        }
        // The replay's file is fresh and rebuilt from scratch on failure: no fsync during the load.
        try setSynchronous("OFF")
        defer { try? setSynchronous("NORMAL") }
        try write("drop decision indexes") { db in
            // A large page cache keeps the bulk insert and the index builds' sorts in memory;
            // memory-mapped reads spare the index builds a pread copy of every table page.
            try db.execute(sql: "PRAGMA cache_size = -262144")
            try db.execute(sql: "PRAGMA mmap_size = 2147483648")
            for index in definitions { try db.execute(sql: "DROP INDEX \(index.name)") }
        }
        let result: T
        do {
            result = try load()
        } catch {
            try? write("rebuild decision indexes") { db in for index in definitions { try db.execute(sql: index.sql) } }
            throw error
        }
        try write("rebuild decision indexes") { db in
            for index in definitions { try db.execute(sql: index.sql) }
        }
        return result
    }

    private func setSynchronous(_ mode: String) throws {
        do {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(mode)") }
        } catch let error as DatabaseError {
            throw StoreError(operation: "set synchronous \(mode)", message: error.message ?? "\(error)")
        }
    }

    /// Every stream in the decision log (read from the stream index, not the table).
    public func streamKeys() throws -> [String] {
        try read("list streams") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT stream_key FROM decisions ORDER BY stream_key")
        }
    }
}
