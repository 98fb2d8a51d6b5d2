import ExactJSON
import BrokerCore
import BrokerStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ProviderAdapters
import Synchronization

/// `POST /v1/chat/completions`: authenticate, read what the request needs, route it to the
/// cheapest adequate offer, call it (failing over down the ranked list), answer in OpenAI's
/// shape and log the decision.
struct ChatCompletionsEndpoint: Sendable {
    let gateway: Gateway

    func respond(to request: Request) async -> Response {
        let started = ContinuousClock.now
        let response = await answer(request, started: started)
        if gateway.configuration.accessLog {
            let headers = response.headers
            gateway.logger.info(
                "POST /v1/chat/completions \(response.status.code)",
                metadata: [
                    "provider": .string(headers[.tokenbrokerProvider] ?? "-"),
                    "model": .string(headers[.tokenbrokerModel] ?? "-"),
                    "decision": .string(headers[.tokenbrokerDecision] ?? "-"),
                    "cost_usd": .string(headers[.tokenbrokerCost] ?? "-"),
                    "ms": .string(String(Self.milliseconds(since: started))),
                ])
        }
        return response
    }

    private func answer(_ request: Request, started: ContinuousClock.Instant) async -> Response {
        var request = request
        do {
            let prepared = try await prepare(&request, started: started)
            let response = try await dispatch(prepared)
            return response
        } catch let error as GatewayError {
            gateway.metrics.error(type: error.code ?? error.type)
            gateway.metrics.request(status: Int(error.status.code), duration: .now - started, streamed: false)
            return error.response()
        } catch {
            gateway.logger.error("chat completion failed: \(error)")
            let failure = GatewayError(status: .internalServerError, type: "server_error", message: "internal error")
            gateway.metrics.request(status: 500, duration: .now - started, streamed: false)
            return failure.response()
        }
    }

    /// A request that passed authentication and validation and has been routed.
    struct Prepared: Sendable {
        var started: ContinuousClock.Instant
        var at: Date
        var decisionID: String
        var key: APIKeyRecord
        var body: JSON
        var profile: RequestProfile
        var snapshot: BrokerSnapshot
        var decision: Decision
        var context: RoutingContext
        var streamKey: String
        var deadline: ContinuousClock.Instant
    }

    private func prepare(_ request: inout Request, started: ContinuousClock.Instant) async throws -> Prepared {
        let key = try await gateway.keys.authenticate(request.headers[.authorization], lookingUpOn: gateway.storeReads)
        let limit = gateway.configuration.maxBodyBytes
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw GatewayError.tooLarge(limit: limit)
        } catch {
            throw GatewayError.invalidRequest("the request body could not be read: \(error)")
        }
        // Parsed once: the profile reads it, the adapter forwards it. A key given twice is
        // refused: the daemon would check the first value while an OpenAI-compatible provider,
        // sent the body as it came, may use the last (`max_tokens` past the cost cap).
        let body: JSON
        do {
            body = try JSONParser.parse(buffer.readableBytesView, rejectDuplicateKeys: true)
        } catch {
            throw GatewayError.invalidRequest("body is not valid JSON: \(GatewayError.excerpt(error.description))")
        }
        var profile: RequestProfile
        do {
            profile = try RequestProfile(chatCompletions: body)
        } catch {
            throw GatewayError.invalidRequest(error.description, param: error.field)
        }
        if profile.model.isEmpty || profile.model == "auto", let policy = key.policy {
            profile.model = policy
        }
        let overrides = try Self.overrides(request.headers)
        let snapshot = gateway.state.snapshot
        let query: RoutingQuery
        do {
            query = try snapshot.table.query(for: profile, overrides: overrides)
        } catch {
            throw GatewayError.notFound(
                "The model `\(GatewayError.excerpt(error.model))` does not exist: name a policy (\(snapshot.catalogue.policies.keys.sorted().joined(separator: ", "))), "
                    + "a model id or provider/model; GET /v1/models lists them")
        }
        let now = Date()
        let streamKey = "\(key.tenant)/\(query.target.policyName(default: query.policy.id))"
        try await checkBudget(key, now: now)
        let context = gateway.state.routingContext(stream: streamKey, now: now)
        let decision = Router.route(
            query, in: snapshot.table, context: context, detail: .decision(keep: gateway.configuration.failoverCandidates))
        let prepared = Prepared(
            started: started, at: now, decisionID: DecisionID.make(at: now), key: key, body: body, profile: profile,
            snapshot: snapshot, decision: decision, context: context, streamKey: streamKey,
            deadline: started + .milliseconds(Int64(gateway.configuration.requestTimeoutSeconds * 1000)))
        guard decision.chosen != nil else {
            // Adequate offers whose circuits are all open: the providers are down, not the request wrong.
            var healthy = context
            healthy.openCircuits = []
            if !context.openCircuits.isEmpty,
                let waiting = Router.route(query, in: snapshot.table, context: healthy, detail: .decision(keep: 1)).chosen
            {
                gateway.log(Self.record(prepared, served: nil, attempts: [], status: "upstream_unavailable"))
                var error = GatewayError(
                    status: .serviceUnavailable, type: "server_error", code: "upstream_unavailable", param: nil,
                    message: "every adequate offer (cheapest: \(waiting.offer)) is out of routing after upstream failures; retry later")
                error.retryAfterSeconds = gateway.state.secondsUntilProbe(at: now)
                throw error
            }
            let explained = Router.route(query, in: snapshot.table, context: context, detail: .explain)
            gateway.log(Self.record(prepared, served: nil, attempts: [], status: "no_adequate_offer"))
            throw Self.noAdequateOffer(explained)
        }
        return prepared
    }

    private func checkBudget(_ key: APIKeyRecord, now: Date) async throws {
        guard let budget = key.budget else { return }
        let period: BudgetPeriodStart = key.budgetPeriod == .day ? .day : .month
        let store = gateway.store
        let io = gateway.storeReads
        // Summed from the decision log once per period (a scan of the tenant's month), off the event loop.
        let spent = try await gateway.state.spend(tenant: key.tenant, period: period, now: now) { start in
            try await io.run { try store.spend(tenant: key.tenant, since: start) }
        }
        guard spent < budget else {
            var error = GatewayError(
                status: .tooManyRequests, type: "insufficient_quota", code: "budget_exhausted", param: nil,
                message: "tenant \(key.tenant) has spent \(spent.decimalString(places: 6)) USD of its "
                    + "\(budget.decimalString(places: 6)) USD budget this \(period == .day ? "day" : "month")")
            let next = period == .day
                ? Calendar.utc.date(byAdding: .day, value: 1, to: period.start(containing: now))
                : Calendar.utc.date(byAdding: .month, value: 1, to: period.start(containing: now))
            error.retryAfterSeconds = next.map { max(1, Int($0.timeIntervalSince(now).rounded(.up))) }
            throw error
        }
    }

    /// The routing headers a client may send; a bad value is a 400 naming the header.
    static func overrides(_ headers: HTTPFields) throws -> RequestOverrides {
        var overrides = RequestOverrides()
        if let text = headers[.tokenbrokerMinQuality] {
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), (0...100_000).contains(value) else {
                throw GatewayError.invalidRequest("expected a whole number from 0 to 100000, got \"\(GatewayError.excerpt(text))\"", param: "x-tokenbroker-min-quality")
            }
            overrides.minQuality = value
        }
        if let text = headers[.tokenbrokerDataClass] {
            guard let value = DataClass(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
                let names = DataClass.allCases.map(\.rawValue).joined(separator: ", ")
                throw GatewayError.invalidRequest("expected one of \(names), got \"\(GatewayError.excerpt(text))\"", param: "x-tokenbroker-data-class")
            }
            overrides.dataClass = value
        }
        if let text = headers[.tokenbrokerMaxCost] {
            // Plain digits and a point only: a separator (`1,500`) could be a decimal comma, and
            // a cap read larger than meant would loosen the policy instead of tightening it.
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }), let value = Money(usd: trimmed), value > .zero
            else {
                throw GatewayError.invalidRequest("expected a positive decimal amount of USD, got \"\(GatewayError.excerpt(text))\"", param: "x-tokenbroker-max-cost-usd")
            }
            overrides.maxCost = value
        }
        return overrides
    }

    /// The 422: no offer is adequate, with the reason for each offer, most common first.
    static func noAdequateOffer(_ explained: Decision) -> GatewayError {
        let requested = explained.excluded.filter { $0.reason != .notRequested }
        let counts = Dictionary(grouping: requested, by: \.reason.kind).mapValues(\.count)
        let summary = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.value) \($0.key)" }
        let listed = requested.prefix(100).map { exclusion -> JSON in
            .object(["offer": .string(exclusion.offer.description), "reason": .string(exclusion.reason.kind),
                     "detail": .string(exclusion.reason.description)])
        }
        var error = GatewayError(
            status: .unprocessableContent, type: "invalid_request_error", code: "no_adequate_offer", param: "model",
            message: "no offer is adequate for this request (\(requested.count) considered: \(summary.joined(separator: ", ")))")
        error.details = [
            ("exclusion_counts", .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, JSON.int($0.value)) }))),
            ("excluded", .array(listed)),
        ]
        return error
    }
}

extension RoutingTarget {
    /// The policy a stream is named after: the policy asked for, else the catalogue's default.
    func policyName(default name: String) -> String {
        if case .policy(let policy) = self { return policy }
        return name
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

/// Decision ids: time-ordered and unique, e.g. `dec_0194f0c2a1b3_5f2c9e01d4a7`: the time in
/// milliseconds, then a 48-bit sequence that starts at a random value in each process, so
/// ids never repeat within a process and two processes (replicas, restarts within the same
/// millisecond) are as unlikely to meet as with random suffixes — without a `getrandom`
/// system call per request.
enum DecisionID {
    private static let sequence = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 48)))

    static func make(at date: Date) -> String {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let suffix = sequence.add(1, ordering: .relaxed).newValue & 0xFFFF_FFFF_FFFF
        return String(unsafeUninitializedCapacity: 29) { buffer in
            for (index, byte) in "dec_".utf8.enumerated() { buffer[index] = byte }
            write(milliseconds, into: buffer, at: 4)
            buffer[16] = UInt8(ascii: "_")
            write(suffix, into: buffer, at: 17)
            return 29
        }
    }

    /// The low 48 bits of `value` as 12 lowercase hex digits.
    private static func write(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        for position in 0..<12 {
            let nibble = UInt8((value >> UInt64(4 * (11 - position))) & 0xF)
            buffer[start + position] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
        }
    }
}
