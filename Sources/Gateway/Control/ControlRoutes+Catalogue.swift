import BrokerCore
import BrokerStore
import ControlPlane
import Foundation
import Hummingbird
import Logging
import PriceFeeds

/// `/v1/offers`, `/v1/prices`, `/v1/route/explain`, `/v1/policies`, `/v1/credits`.
extension ControlRoutes {
    func addCatalogueRoutes(_ router: Hummingbird.Router<BasicRequestContext>) {
        router.control(.get, "/v1/offers") { request, _ in
            let sortText = Self.string(request, "sort") ?? "name"
            guard let sort = OfferSort(rawValue: sortText) else {
                throw ControlError.badRequest("sort must be one of: \(OfferSort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let snapshot = gateway.state.snapshot
            return ControlJSON.response(
                OfferListing.listings(
                    catalogue: snapshot.catalogue, table: snapshot.table, model: Self.string(request, "model"),
                    provider: Self.string(request, "provider"), sort: sort))
        }
        router.control(.post, "/v1/prices") { request, _ in
            ControlJSON.response(try setPrice(try await ControlJSON.decode(PriceSetRequest.self, from: request)))
        }
        router.control(.get, "/v1/prices/history") { request, _ in
            var offer: OfferID?
            if let text = Self.string(request, "offer") {
                guard let parsed = OfferID(text) else { throw ControlError.badRequest("offer must be provider/model, not \(text)") }
                offer = parsed
            }
            let filter = PriceHistoryFilter(offer: offer, model: Self.string(request, "model"), since: try Self.time(request, "since"))
            return ControlJSON.response(try stored { try store.priceHistory(filter) }.map(PriceHistoryRow.init))
        }
        router.control(.post, "/v1/prices/import") { request, _ in
            try await importPrices(request)
        }
        router.control(.post, "/v1/route/explain") { request, _ in
            ControlJSON.response(try explain(try await ControlJSON.decode(RouteExplainRequest.self, from: request)))
        }
        router.control(.get, "/v1/policies") { _, _ in
            let policies = gateway.state.snapshot.catalogue.policies
            return ControlJSON.response(policies.keys.sorted().map { PolicyView(policies[$0]!) })
        }
        router.control(.get, "/v1/policies/:policy") { _, context in
            let name = try Self.parameter(context, "policy")
            let policies = gateway.state.snapshot.catalogue.policies
            guard let policy = policies[name] else {
                throw ControlError.notFound("no policy \(name) (known: \(policies.keys.sorted().joined(separator: ", ")))")
            }
            return ControlJSON.response(PolicyView(policy))
        }
        router.control(.get, "/v1/credits") { _, _ in
            ControlJSON.response(try stored { try store.credits() }.sorted { $0.provider < $1.provider }.map(Self.creditView))
        }
        router.control(.put, "/v1/credits/:provider") { request, context in
            let provider = try known(context, gateway.state.snapshot)
            let body = try await ControlJSON.decode(CreditView.self, from: request)
            guard let remaining = Money(operatorUSD: body.remainingUSD, allowingZero: true) else {
                throw ControlError.badRequest("remaining_usd must be \(Money.operatorUSDRule(allowingZero: true)), got \(body.remainingUSD)")
            }
            var expires: Date?
            if let text = body.expiresAt {
                guard let date = TimeArgument.future(text, now: Date()) else {
                    throw ControlError.badRequest("expires_at: not a time (ISO 8601, YYYY-MM-DD, or in 30d): \(text)")
                }
                expires = date
            }
            let credit = Credit(provider: provider, remaining: remaining, expiresAt: expires)
            try stored { try store.setCredit(credit) }
            try rebuildSnapshot()
            gateway.logger.notice("control: credit for \(provider) set to \(remaining.decimalString()) USD")
            return ControlJSON.response(Self.creditView(credit))
        }
    }

    static func creditView(_ credit: Credit) -> CreditView {
        CreditView(
            provider: credit.provider, remainingUSD: credit.remaining.decimalString(), expiresAt: credit.expiresAt?.formatted(.iso8601))
    }

    func setPrice(_ body: PriceSetRequest) throws -> PriceSetResult {
        let offer = OfferID(provider: body.provider, model: body.model)
        let snapshot = gateway.state.snapshot
        guard snapshot.offers[offer] != nil else {
            throw ControlError.notFound("no offer \(offer) in the catalogue (tokenbroker offers list shows them)")
        }
        func price(_ text: String, _ field: String) throws -> Price {
            guard let value = TokenPrice(usdPerMtok: text) else {
                throw ControlError.badRequest("\(field) must be a non-negative decimal in USD per million tokens, got \(text)")
            }
            return value.nanoUSDPerMtok == 0 ? .free : .perMtok(value)
        }
        let now = Date()
        var effectiveAt = now
        if let text = body.effectiveAt {
            guard let date = DateParsing.date(text) else {
                throw ControlError.badRequest("effective_at: not a time (ISO 8601 or YYYY-MM-DD): \(text)")
            }
            effectiveAt = date
        }
        let version = PriceVersion(
            input: try price(body.inputUSDPerMtok, "input_usd_per_mtok"),
            cachedInput: try body.cachedInputUSDPerMtok.map { try price($0, "cached_input_usd_per_mtok") } ?? .unknown,
            output: try price(body.outputUSDPerMtok, "output_usd_per_mtok"), effectiveAt: effectiveAt,
            source: body.source ?? "tokenbroker prices set")
        let appended = try stored { try store.appendPriceVersion(version, for: offer) }
        if appended {
            try rebuildSnapshot()
            gateway.logger.notice("control: price version for \(offer) from \(effectiveAt.formatted(.iso8601))")
        }
        return PriceSetResult(
            appended: appended, version: PriceHistoryRow(PriceHistoryEntry(id: 0, offer: offer, version: version, recordedAt: now)))
    }

    func importPrices(_ request: Request) async throws -> Response {
        guard let formatText = Self.string(request, "format"), let format = PriceImportFormat(rawValue: formatText) else {
            throw ControlError.badRequest("format must be one of: \(PriceImportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let at = try Self.time(request, "at") ?? Date()
        let source = Self.string(request, "source") ?? "import"
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 64 << 20)
        } catch {
            throw ControlError.badRequest("the file is over 64 MiB")
        }
        let parsed: PriceImport
        do {
            parsed = try format.importer(effectiveAt: at).parse(Data(buffer.readableBytesView), source: source)
        } catch {
            throw ControlError.badRequest("\(error)")
        }
        let report = try stored { try parsed.write(to: store) }
        try rebuildSnapshot()
        return ControlJSON.response(ImportSummary(parsed: parsed, report: report))
    }

    /// A dry run of the real router on the live snapshot, circuits, disabled providers and credits.
    func explain(_ body: RouteExplainRequest) throws -> RouteExplanation {
        if body.policy != nil && body.model != nil { throw ControlError.badRequest("give policy or model, not both") }
        guard body.promptTokens >= 0 else { throw ControlError.badRequest("prompt_tokens must not be negative") }
        if let maxTokens = body.maxTokens, maxTokens < 1 { throw ControlError.badRequest("max_tokens must be at least 1") }
        var dataClass: DataClass?
        if let text = body.dataClass {
            guard let value = DataClass(rawValue: text) else {
                throw ControlError.badRequest("data_class must be one of: \(DataClass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            dataClass = value
        }
        var capabilities: Capabilities = []
        if body.tools { capabilities.insert(.tools) }
        if body.vision { capabilities.insert(.vision) }
        if body.jsonSchema { capabilities.insert(.jsonSchema) }
        if body.stream { capabilities.insert(.streaming) }
        let profile = RequestProfile(
            model: body.model ?? body.policy ?? "auto", capabilities: capabilities, stream: body.stream,
            estimatedPromptTokens: body.promptTokens, maxOutputTokens: body.maxTokens)
        let snapshot = gateway.state.snapshot
        let query: RoutingQuery
        do {
            query = try snapshot.table.query(for: profile, overrides: RequestOverrides(minQuality: body.minQuality, dataClass: dataClass))
        } catch {
            throw ControlError.notFound("\(error)")
        }
        let now = Date()
        let stream = "\(body.tenant ?? "")/\(query.target.policyName(default: query.policy.id))"
        var context = gateway.state.routingContext(stream: stream, now: now)
        if body.tenant == nil { context.previousProvider = nil }
        if let previous = body.previousProvider { context.previousProvider = previous }
        return RouteExplanation(BrokerCore.Router.route(query, in: snapshot.table, context: context, detail: .explain))
    }
}
