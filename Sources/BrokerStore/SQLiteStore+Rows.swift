import BrokerCore
import Foundation
internal import GRDB

/// Row ↔ value conversions for ``SQLiteStore``.
extension SQLiteStore {
    static func upsert(_ provider: Provider, _ db: Database) throws {
        let (kind, reference): (String, String?) =
            switch provider.credentials {
            case .none: ("none", nil)
            case .environment(let name): ("env", name)
            case .file(let path): ("file", path)
            }
        try db.execute(
            sql: """
                INSERT INTO providers (id, display_name, wire_format, base_url, credentials_kind, credentials_ref, region,
                    residency, retention_days, trains_on_data, max_data_class, enabled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, wire_format = excluded.wire_format,
                    base_url = excluded.base_url, credentials_kind = excluded.credentials_kind,
                    credentials_ref = excluded.credentials_ref, region = excluded.region, residency = excluded.residency,
                    retention_days = excluded.retention_days, trains_on_data = excluded.trains_on_data,
                    max_data_class = excluded.max_data_class, enabled = excluded.enabled
                """,
            arguments: [
                provider.id, provider.displayName, provider.wireFormat.rawValue, provider.baseURL, kind, reference,
                provider.region, provider.residency.rawValue, provider.dataHandling.retentionDays,
                provider.dataHandling.trainsOnData, provider.dataHandling.maxDataClass.rawValue, provider.enabled,
            ])
    }

    static func provider(_ row: Row) -> Provider {
        let reference: String? = row["credentials_ref"]
        let credentials: CredentialReference =
            switch (row["credentials_kind"] as String, reference) {
            case ("env", let name?): .environment(name)
            case ("file", let path?): .file(path)
            default: .none
            }
        return Provider(
            id: row["id"], displayName: row["display_name"],
            wireFormat: WireFormat(rawValue: row["wire_format"]) ?? .openai, baseURL: row["base_url"],
            credentials: credentials, region: row["region"], residency: Residency(rawValue: row["residency"]) ?? .cloud,
            dataHandling: DataHandling(
                retentionDays: row["retention_days"], trainsOnData: row["trains_on_data"],
                maxDataClass: DataClass(rawValue: row["max_data_class"]) ?? .public),
            enabled: row["enabled"])
    }

    /// Inserts, or with `replace` overwrites, a model; true when a row was written.
    @discardableResult
    static func upsert(_ model: Model, replace: Bool, _ db: Database) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO models (id, family, quality, quality_source, capabilities, advertised_context, effective_context, max_output)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO \(replace ? """
                    UPDATE SET family = excluded.family, quality = excluded.quality, quality_source = excluded.quality_source,
                    capabilities = excluded.capabilities, advertised_context = excluded.advertised_context,
                    effective_context = excluded.effective_context, max_output = excluded.max_output
                    """ : "NOTHING")
                """,
            arguments: [
                model.id, model.family, model.quality?.score, model.quality?.source,
                StoredForms.capabilities(model.capabilities), model.advertisedContext, model.effectiveContext,
                model.maxOutputTokens,
            ])
        return db.changesCount > 0
    }

    static func model(_ row: Row) -> Model {
        let score: Int? = row["quality"]
        return Model(
            id: row["id"], family: row["family"],
            quality: score.map { QualityScore(score: $0, source: row["quality_source"] ?? "") },
            capabilities: StoredForms.capabilities(row["capabilities"]), advertisedContext: row["advertised_context"],
            effectiveContext: row["effective_context"], maxOutputTokens: row["max_output"])
    }

    @discardableResult
    static func upsert(_ offer: Offer, selfHosted: SelfHostedCost?, replace: Bool, _ db: Database) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO offers (provider, model, upstream_model, context_limit, capabilities, enabled, self_hosted)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(provider, model) DO \(replace ? """
                    UPDATE SET upstream_model = excluded.upstream_model, context_limit = excluded.context_limit,
                    capabilities = excluded.capabilities, enabled = excluded.enabled, self_hosted = excluded.self_hosted
                    """ : "NOTHING")
                """,
            arguments: [
                offer.id.provider, offer.id.model, offer.upstreamModel, offer.contextLimit,
                offer.capabilities.map(StoredForms.capabilities), offer.enabled, StoredForms.hardware(selfHosted),
            ])
        return db.changesCount > 0
    }

    static func offer(_ row: Row) -> Offer {
        let capabilities: String? = row["capabilities"]
        return Offer(
            id: OfferID(provider: row["provider"], model: row["model"]), upstreamModel: row["upstream_model"],
            contextLimit: row["context_limit"], capabilities: capabilities.map(StoredForms.capabilities),
            enabled: row["enabled"])
    }

    static func priceVersion(_ row: Row) -> PriceVersion {
        PriceVersion(
            input: Price(nanoUSDPerMtok: row["input_nusd"]), cachedInput: Price(nanoUSDPerMtok: row["cached_input_nusd"]),
            output: Price(nanoUSDPerMtok: row["output_nusd"]), longContextTiers: StoredForms.tiers(row["tiers"]),
            effectiveAt: StoredForms.date(seconds: row["effective_at"]), source: row["source"])
    }

    static func insert(_ version: PriceVersion, for offer: OfferID, recordedAt: Date, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO price_versions (provider, model, effective_at, input_nusd, cached_input_nusd, output_nusd, tiers, source, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                offer.provider, offer.model, StoredForms.seconds(version.effectiveAt), version.input.nanoUSDPerMtok,
                version.cachedInput.nanoUSDPerMtok, version.output.nanoUSDPerMtok,
                StoredForms.tiers(version.longContextTiers), version.source, StoredForms.seconds(recordedAt),
            ])
    }

    /// Appends `version` unless the version in force at its date has the same prices.
    static func appendIfChanged(_ version: PriceVersion, for offer: OfferID, recordedAt: Date, _ db: Database) throws -> Bool {
        let current = try Row.fetchOne(
            db,
            sql: """
                SELECT * FROM price_versions WHERE provider = ? AND model = ? AND effective_at <= ?
                ORDER BY effective_at DESC, id DESC LIMIT 1
                """,
            arguments: [offer.provider, offer.model, StoredForms.seconds(version.effectiveAt)])
        if let current, priceVersion(current).hasSamePrices(as: version) { return false }
        try insert(version, for: offer, recordedAt: recordedAt, db)
        return true
    }

    static func insert(_ policy: Policy, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO policies (id, description, min_quality, capabilities, data_class, allowed_providers, allowed_regions,
                    max_cost_nusd, switching_threshold_bp, cached_prompt_bp, expected_output_tokens)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                policy.id, policy.description, policy.minQuality, StoredForms.capabilities(policy.requiredCapabilities),
                policy.dataClass.rawValue, StoredForms.list(policy.allowedProviders), StoredForms.list(policy.allowedRegions),
                policy.maxCostPerRequest?.roundedNanoUSD, policy.switchingThresholdBasisPoints,
                policy.cachedPromptBasisPoints, policy.expectedOutputTokens,
            ])
    }

    static func policy(_ row: Row) -> Policy {
        let maxCost: Int64? = row["max_cost_nusd"]
        return Policy(
            id: row["id"], description: row["description"], minQuality: row["min_quality"],
            requiredCapabilities: StoredForms.capabilities(row["capabilities"]),
            dataClass: DataClass(rawValue: row["data_class"]) ?? .internal,
            allowedProviders: StoredForms.set(row["allowed_providers"]), allowedRegions: StoredForms.set(row["allowed_regions"]),
            maxCostPerRequest: maxCost.map { Money(nanoUSD: $0) },
            switchingThresholdBasisPoints: row["switching_threshold_bp"], cachedPromptBasisPoints: row["cached_prompt_bp"],
            expectedOutputTokens: row["expected_output_tokens"])
    }

    static func apiKey(_ row: Row) -> APIKeyRecord {
        let budget: Int64? = row["budget_nusd"]
        let period: String? = row["budget_period"]
        let revoked: Int64? = row["revoked_at"]
        return APIKeyRecord(
            id: row["id"], tenant: row["tenant"], keyHash: row["key_hash"], budget: budget.map { Money(nanoUSD: $0) },
            budgetPeriod: period.flatMap(BudgetPeriod.init(rawValue:)), policy: row["policy"],
            createdAt: StoredForms.date(seconds: row["created_at"]), revokedAt: revoked.map(StoredForms.date(seconds:)))
    }

    static func decision(_ row: Row) -> DecisionRecord {
        let provider: String? = row["provider"]
        let model: String? = row["model"]
        let expected: Int64? = row["expected_cost_nusd"]
        let actual: Int64? = row["actual_cost_nusd"]
        let priceAt: Int64? = row["price_effective_at"]
        let chosen = provider.flatMap { provider in model.map { OfferID(provider: provider, model: $0) } }
        return DecisionRecord(
            id: row["id"], at: StoredForms.date(milliseconds: row["at_ms"]), tenant: row["tenant"], policy: row["policy"],
            streamKey: row["stream_key"], target: row["target"], chosen: chosen, expectedCost: expected.map { Money(nanoUSD: $0) },
            priceEffectiveAt: priceAt.map(StoredForms.date(seconds:)), promptTokensEstimate: row["prompt_tokens_est"],
            outputTokensEstimate: row["output_tokens_est"],
            candidates: StoredForms.decode([String].self, row["candidates"]) ?? [],
            exclusions: StoredForms.decode([String: Int].self, row["exclusions"]) ?? [:],
            previousProvider: row["previous_provider"], switched: row["switched"], heldByHysteresis: row["held"],
            attempts: StoredForms.decode([String].self, row["attempts"]) ?? [], status: row["status"],
            actualPromptTokens: row["actual_prompt_tokens"], actualOutputTokens: row["actual_output_tokens"],
            actualCost: actual.map { Money(nanoUSD: $0) }, latencyMilliseconds: row["latency_ms"])
    }
}
