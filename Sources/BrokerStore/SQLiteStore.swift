public import BrokerCore
public import Foundation
internal import GRDB

/// The daemon's store: one SQLite file in WAL mode, through GRDB and the system libsqlite3.
///
/// Readers never block the writer. `synchronous = NORMAL` under WAL means a crash of the
/// process loses nothing committed; a power cut may lose the last commits, never the file.
public final class SQLiteStore: CatalogueStore {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError(operation: "open \(path)", message: error.message ?? "\(error)")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(operation: "open \(path)", message: "\(error)")
        }
    }

    /// Runs a write transaction, turning SQLite errors into ``StoreError``.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as DatabaseError {
            throw StoreError(operation: operation, message: error.message ?? "\(error)")
        }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw StoreError(operation: operation, message: error.message ?? "\(error)")
        }
    }

    // MARK: Catalogue

    public func syncCatalogue(_ catalogue: Catalogue, at date: Date) throws -> SyncReport {
        try write("sync catalogue") { db in
            var report = SyncReport()
            try db.execute(sql: "UPDATE providers SET enabled = 0")
            for provider in catalogue.providers.values {
                try Self.upsert(provider, db)
                report.providers += 1
            }
            for model in catalogue.models.values {
                try Self.upsert(model, replace: true, db)
                report.models += 1
            }
            // A provider file lists every offer of its provider that routes: one taken out of
            // the file leaves routing (its prices stay for history), as do imported offers.
            let statement = try db.cachedStatement(sql: "UPDATE offers SET enabled = 0 WHERE provider = ?")
            for provider in catalogue.providers.keys { try statement.execute(arguments: [provider]) }
            for priced in catalogue.offers {
                try Self.upsert(priced.offer, selfHosted: priced.selfHosted, replace: true, db)
                report.offers += 1
                let version = priced.selfHosted.map {
                    $0.priceVersion(at: date, source: priced.price?.source ?? "self-hosted hardware cost")
                } ?? priced.price
                guard let version else { continue }
                if try Self.appendIfChanged(version, for: priced.id, recordedAt: date, db) {
                    report.priceVersionsAppended += 1
                } else {
                    report.priceVersionsUnchanged += 1
                }
            }
            try db.execute(sql: "DELETE FROM policies")
            for policy in catalogue.policies.values {
                try Self.insert(policy, db)
                report.policies += 1
            }
            return report
        }
    }

    public func catalogue(at date: Date) throws -> Catalogue {
        try read("read catalogue") { db in
            let providers = try Row.fetchAll(db, sql: "SELECT * FROM providers").map(Self.provider)
            let models = try Row.fetchAll(db, sql: "SELECT * FROM models").map(Self.model)
            let offers = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.*, pv.effective_at, pv.input_nusd, pv.cached_input_nusd, pv.output_nusd, pv.tiers, pv.source
                    FROM offers o LEFT JOIN price_versions pv ON pv.id = (
                        SELECT p.id FROM price_versions p
                        WHERE p.provider = o.provider AND p.model = o.model AND p.effective_at <= ?
                        ORDER BY p.effective_at DESC, p.id DESC LIMIT 1)
                    """, arguments: [StoredForms.seconds(date)]
            ).map { row in
                PricedOffer(
                    offer: Self.offer(row), price: row["effective_at"] == nil ? nil : Self.priceVersion(row),
                    selfHosted: StoredForms.hardware(row["self_hosted"]))
            }
            let policies = try Row.fetchAll(db, sql: "SELECT * FROM policies").map(Self.policy)
            return Catalogue(providers: providers, models: models, offers: offers, policies: policies)
        }
    }

    public func importPrices(_ batch: PriceBatch) throws -> ImportReport {
        try write("import prices") { db in
            var report = ImportReport()
            for model in batch.models where try Self.upsert(model, replace: false, db) {
                report.modelsAdded += 1
            }
            for offer in batch.offers where try Self.upsert(offer, selfHosted: nil, replace: false, db) {
                report.offersAdded += 1
            }
            let now = Date()
            for (offer, version) in batch.versions {
                if try Self.appendIfChanged(version, for: offer, recordedAt: now, db) {
                    report.priceVersionsAppended += 1
                } else {
                    report.priceVersionsUnchanged += 1
                }
            }
            return report
        }
    }

    public func appendPriceVersion(_ version: PriceVersion, for offer: OfferID) throws -> Bool {
        try write("append price for \(offer)") { db in
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM offers WHERE provider = ? AND model = ?)",
                arguments: [offer.provider, offer.model]) ?? false
            guard exists else { throw StoreError(operation: "append price for \(offer)", message: "no such offer") }
            return try Self.appendIfChanged(version, for: offer, recordedAt: Date(), db)
        }
    }

    public func priceHistory(_ filter: PriceHistoryFilter) throws -> [PriceHistoryEntry] {
        try read("read price history") { db in
            var clauses: [String] = []
            var arguments = StatementArguments()
            if let offer = filter.offer {
                clauses.append("provider = ? AND model = ?")
                arguments += [offer.provider, offer.model]
            }
            if let model = filter.model {
                clauses.append("model = ?")
                arguments += [model]
            }
            if let since = filter.since {
                clauses.append("effective_at >= ?")
                arguments += [StoredForms.seconds(since)]
            }
            let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM price_versions \(whereClause) ORDER BY effective_at, id", arguments: arguments
            ).map { row in
                PriceHistoryEntry(
                    id: row["id"], offer: OfferID(provider: row["provider"], model: row["model"]),
                    version: Self.priceVersion(row), recordedAt: StoredForms.date(seconds: row["recorded_at"]))
            }
        }
    }

    // MARK: Credits and keys

    public func setCredit(_ credit: Credit) throws {
        try write("set credit for \(credit.provider)") { db in
            try db.execute(
                sql: """
                    INSERT INTO credits (provider, remaining_nusd, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT(provider) DO UPDATE SET remaining_nusd = excluded.remaining_nusd, expires_at = excluded.expires_at
                    """,
                arguments: [credit.provider, credit.remaining.roundedNanoUSD, credit.expiresAt.map(StoredForms.seconds)])
        }
    }

    public func credits() throws -> [Credit] {
        try read("read credits") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM credits ORDER BY provider").map { row in
                Credit(
                    provider: row["provider"], remaining: Money(nanoUSD: row["remaining_nusd"]),
                    expiresAt: (row["expires_at"] as Int64?).map(StoredForms.date(seconds:)))
            }
        }
    }

    public func setProviderMode(_ provider: String, _ mode: String?, at date: Date) throws {
        try write("set the mode of provider \(provider)") { db in
            if let mode {
                try db.execute(
                    sql: """
                        INSERT INTO provider_modes (provider, mode, set_at) VALUES (?, ?, ?)
                        ON CONFLICT(provider) DO UPDATE SET mode = excluded.mode, set_at = excluded.set_at
                        """,
                    arguments: [provider, mode, StoredForms.seconds(date)])
            } else {
                try db.execute(sql: "DELETE FROM provider_modes WHERE provider = ?", arguments: [provider])
            }
        }
    }

    public func providerModes() throws -> [String: String] {
        try read("read provider modes") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT provider, mode FROM provider_modes")
            return Dictionary(rows.map { ($0["provider"] as String, $0["mode"] as String) }, uniquingKeysWith: { $1 })
        }
    }

    public func createKey(_ key: APIKeyRecord) throws {
        try write("create key for tenant \(key.tenant)") { db in
            try db.execute(
                sql: "INSERT INTO tenants (id, created_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING",
                arguments: [key.tenant, StoredForms.seconds(key.createdAt)])
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, tenant, key_hash, budget_nusd, budget_period, policy, created_at, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.id, key.tenant, key.keyHash, key.budget?.roundedNanoUSD, key.budgetPeriod?.rawValue, key.policy,
                    StoredForms.seconds(key.createdAt), key.revokedAt.map(StoredForms.seconds),
                ])
        }
    }

    public func key(hash: String) throws -> APIKeyRecord? {
        try read("look up key") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_hash = ?", arguments: [hash]).map(Self.apiKey)
        }
    }

    public func keys() throws -> [APIKeyRecord] {
        try read("list keys") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, id").map(Self.apiKey)
        }
    }

    public func revokeKey(id: String, at date: Date) throws -> Bool {
        try write("revoke key \(id)") { db in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                arguments: [StoredForms.seconds(date), id])
            return db.changesCount > 0
        }
    }

    // MARK: Decisions

    /// One decision row. Both writers bind by position — the daemon's group commit and the
    /// replay's bulk load (whose raw binds of the id and the time depend on columns 1 and 2) —
    /// so they share this text.
    static let insertDecisionSQL = """
        INSERT INTO decisions (id, at_ms, tenant, policy, stream_key, target, provider, model,
            expected_cost_nusd, price_effective_at, prompt_tokens_est, output_tokens_est, candidates,
            exclusions, previous_provider, switched, held, attempts, status, actual_prompt_tokens,
            actual_output_tokens, actual_cost_nusd, spend_nusd, latency_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// ``insertDecisionSQL``'s values for `record`, in its column order, with the id and the
    /// time given (the replay binds those per row itself).
    static func insertDecisionValues(_ record: DecisionRecord, id: String, atMilliseconds: Int64) -> [(any DatabaseValueConvertible)?] {
        [
            id, atMilliseconds, record.tenant, record.policy, record.streamKey,
            record.target, record.chosen?.provider, record.chosen?.model, record.expectedCost?.roundedNanoUSD,
            record.priceEffectiveAt.map(StoredForms.seconds), record.promptTokensEstimate,
            record.outputTokensEstimate, StoredForms.json(record.candidates), StoredForms.json(record.exclusions),
            record.previousProvider, record.switched, record.heldByHysteresis, StoredForms.json(record.attempts),
            record.status, record.actualPromptTokens, record.actualOutputTokens,
            record.actualCost?.roundedNanoUSD, record.spend.roundedNanoUSD, record.latencyMilliseconds,
        ]
    }

    /// Writes a batch of decisions and their hourly rollup in one transaction (the daemon's group commit).
    public func recordDecisions(_ records: [DecisionRecord]) throws {
        guard !records.isEmpty else { return }
        try write("record \(records.count) decisions") { db in
            var rollup = RollupBatch()
            let statement = try db.cachedStatement(sql: Self.insertDecisionSQL)
            for record in records {
                let at = StoredForms.milliseconds(record.at)
                try statement.execute(arguments: StatementArguments(Self.insertDecisionValues(record, id: record.id, atMilliseconds: at)))
                rollup.add(record, atMilliseconds: at)
            }
            try rollup.write(db)
        }
    }

    public func decisions(_ filter: DecisionFilter) throws -> [DecisionRecord] {
        try read("list decisions") { db in
            var clauses: [String] = []
            var arguments = StatementArguments()
            if let since = filter.since {
                clauses.append("at_ms >= ?")
                arguments += [StoredForms.milliseconds(since)]
            }
            if let tenant = filter.tenant {
                clauses.append("tenant = ?")
                arguments += [tenant]
            }
            if let policy = filter.policy {
                clauses.append("policy = ?")
                arguments += [policy]
            }
            let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [filter.limit]
            return try Row.fetchAll(
                db, sql: "SELECT * FROM decisions \(whereClause) ORDER BY at_ms DESC, id DESC LIMIT ?", arguments: arguments
            ).map(Self.decision)
        }
    }

    /// Whole hours come from the hourly rollup (an index range on `decision_rollup_by_tenant`),
    /// only the part of the hour `date` falls in from the decisions themselves: a budget's first
    /// check of the month reads a few thousand rows, not every decision the tenant made (a scan
    /// of a busy tenant's month took seconds, on the key-lookup executor every request shares).
    public func spend(tenant: String, since date: Date) throws -> Money {
        let since = StoredForms.milliseconds(date)
        let firstHour = -Self.hour(-since)  // ceiling
        return try read("sum spend of tenant \(tenant)") { db in
            let total = try Int64.fetchOne(
                db,
                sql: """
                    SELECT (SELECT COALESCE(SUM(spend_nusd), 0) FROM decision_rollup WHERE tenant = ? AND hour >= ?)
                         + (SELECT COALESCE(SUM(spend_nusd), 0) FROM decisions
                            WHERE tenant = ? AND at_ms >= ? AND at_ms < ? AND provider IS NOT NULL)
                    """,
                arguments: [tenant, firstHour, tenant, since, firstHour * Self.hourMilliseconds])
            return Money(nanoUSD: total ?? 0)
        }
    }

    public func latestProviders() throws -> [String: String] {
        try read("read latest providers") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.stream_key, d.provider FROM decisions d
                    JOIN (SELECT stream_key, MAX(at_ms) AS at_ms FROM decisions WHERE provider IS NOT NULL GROUP BY stream_key) latest
                      ON latest.stream_key = d.stream_key AND latest.at_ms = d.at_ms
                    WHERE d.provider IS NOT NULL
                    """)
            return Dictionary(rows.map { ($0["stream_key"] as String, $0["provider"] as String) }, uniquingKeysWith: { $1 })
        }
    }
}
