import ExactJSON
import Logging
import BrokerCore
import BrokerStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ProviderAdapters

extension ChatCompletionsEndpoint {
    /// Tries the ranked offers in order until one answers. A retryable failure (connection,
    /// timeout, 5xx, 429, overload, a garbled answer — and for streams, anything before the
    /// first frame reaches the client) moves on to the next offer; every attempt is recorded.
    func dispatch(_ prepared: Prepared) async throws -> Response {
        var attempts: [String] = []
        var failures: [UpstreamError] = []
        let created = Int(prepared.at.timeIntervalSince1970)
        for candidate in prepared.decision.ranked {
            let offer = candidate.offer
            let now = Date()
            guard ContinuousClock.now < prepared.deadline else {
                // The last real failure says more than the offer that was never tried.
                if failures.isEmpty {
                    failures.append(UpstreamError(kind: .timeout, message: "request deadline passed before \(offer) was tried"))
                }
                break
            }
            let admission = gateway.state.admit(offer, at: now)
            if admission == .rejected {
                attempts.append("\(offer):circuit_open")
                continue
            }
            // Only this attempt's outcome may settle the probe it is (or hand it back).
            let probe = admission == .probe
            guard let call = self.call(for: offer, prepared) else {
                if probe { handBack(offer) }
                attempts.append("\(offer):unavailable")
                continue
            }
            let attemptStart = ContinuousClock.now
            gateway.state.callStarted(offer.provider)
            var handedToStream = false
            defer { if !handedToStream { gateway.state.callEnded(offer.provider) } }
            do {
                if prepared.profile.stream {
                    let stream = try await gateway.client.stream(call, openAIRequest: prepared.body, created: created)
                    // The box owns the in-flight count from here: it ends the call when the
                    // body writer finishes, or when it is dropped (failover, client gone).
                    let state = gateway.state
                    let box = StreamBox(stream) { state.callEnded(offer.provider) }
                    handedToStream = true
                    // The first frame decides: until it is sent, failing over is still invisible to the client.
                    let first = try await box.next()
                    guard let first else {
                        throw UpstreamError(kind: .malformedResponse, message: "the stream ended before its first event")
                    }
                    succeeded(offer, attemptStart)
                    attempts.append("\(offer):ok")
                    return streamResponse(prepared, candidate: candidate, first: first, rest: box, attempts: attempts)
                }
                let answer = try await gateway.client.complete(call, openAIRequest: prepared.body)
                succeeded(offer, attemptStart)
                attempts.append("\(offer):ok")
                return completeResponse(prepared, candidate: candidate, answer: answer, attempts: attempts)
            } catch let error as UpstreamError {
                // A client that went away (or a daemon that stopped) is nobody's failure: no
                // breaker penalty (a probe is handed back), no more offers.
                if Task.isCancelled {
                    if probe { handBack(offer) }
                    return cancelled(prepared, attempts: attempts + ["\(offer):cancelled"])
                }
                failed(offer, error, attemptStart, probe: probe)
                attempts.append("\(offer):\(Self.outcome(error))")
                failures.append(error)
                if !Self.failsOver(error) { break }
            } catch {
                // Only cancellation gets here (while the first stream event was awaited).
                if probe { handBack(offer) }
                return cancelled(prepared, attempts: attempts + ["\(offer):cancelled"])
            }
        }
        return allFailed(prepared, failures: failures, attempts: attempts)
    }

    /// An attempt's outcome in the decision log: the status the provider answered, or what
    /// went wrong when there was none — or when the status was a success whose body was not.
    static func outcome(_ error: UpstreamError) -> String {
        guard let status = error.status, error.kind != .malformedResponse else { return error.kind.rawValue }
        return String(status)
    }

    /// Whether another offer may succeed where this one failed. A request the provider
    /// rejects as malformed or too long would fail everywhere, so it goes back to the client.
    static func failsOver(_ error: UpstreamError) -> Bool {
        if isUntranslatable(error) { return true }
        return switch error.kind {
        case .badRequest, .contextLengthExceeded: false
        // The provider's key or account is at fault, not the request: another provider may serve it.
        case .authentication, .permission, .notFound: true
        default: error.isRetryable
        }
    }

    /// Refused by our own adapter (no status: nothing was sent) because its wire format cannot
    /// express the request — a custom tool call to Anthropic, say. Another format may: the
    /// next offer is tried, and the provider is not blamed.
    static func isUntranslatable(_ error: UpstreamError) -> Bool {
        error.kind == .badRequest && error.status == nil
    }

    private func call(for offer: OfferID, _ prepared: Prepared) -> ProviderClient.Call? {
        guard let upstream = prepared.snapshot.upstreams[offer.provider], upstream.unavailableReason == nil else { return nil }
        let remaining = prepared.deadline - .now
        let connect = Duration.milliseconds(Int64(gateway.configuration.connectTimeoutSeconds * 1000))
        return ProviderClient.Call(
            adapter: upstream.adapter, endpoint: upstream.endpoint,
            upstreamModel: prepared.snapshot.offers[offer]?.upstreamModel ?? offer.model,
            connectTimeout: min(connect, remaining), timeout: remaining)
    }

    private func succeeded(_ offer: OfferID, _ start: ContinuousClock.Instant) {
        gateway.state.record(.success, for: offer, at: Date())
        gateway.metrics.upstream(provider: offer.provider, outcome: "ok", duration: .now - start)
    }

    /// A probe whose attempt said nothing about the offer: the next request probes instead.
    private func handBack(_ offer: OfferID) {
        gateway.state.record(.inconclusive, for: offer, at: Date())
    }

    private func failed(_ offer: OfferID, _ error: UpstreamError, _ start: ContinuousClock.Instant, probe: Bool) {
        gateway.metrics.upstream(provider: offer.provider, outcome: error.kind.rawValue, duration: .now - start)
        // A request the client got wrong says nothing about the provider's health, nor does
        // a connection this process could not open; a probe they were is handed back.
        if error.kind == .localResources {
            gateway.logger.warning("cannot open a connection to \(offer.provider): \(error.message)")
        }
        guard Self.failsOver(error), error.kind != .localResources, !Self.isUntranslatable(error) else {
            if probe { handBack(offer) }
            return
        }
        let transition = gateway.state.record(
            .failure(retryAfter: error.retryAfterSeconds.map(TimeInterval.init)), for: offer, at: Date())
        if case .opened(let until) = transition {
            gateway.logger.warning("circuit opened for \(offer) until \(until): \(error.kind.rawValue)")
        }
    }

    // MARK: - Answers

    private func completeResponse(_ prepared: Prepared, candidate: Candidate, answer: ChatResponse, attempts: [String]) -> Response {
        let cost = actualCost(answer.usage, candidate: candidate, prepared)
        var record = Self.record(prepared, served: candidate, attempts: attempts, status: "ok")
        record.actualPromptTokens = answer.usage?.promptTokens
        record.actualOutputTokens = answer.usage?.completionTokens
        record.actualCost = cost
        record.latencyMilliseconds = Self.milliseconds(since: prepared.started)
        finish(prepared, record: record, streamed: false, status: 200)
        var headers = routedHeaders(prepared, candidate: candidate, cost: cost ?? candidate.expectedCost)
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    private func streamResponse(
        _ prepared: Prepared, candidate: Candidate, first: Data, rest box: StreamBox, attempts: [String]
    ) -> Response {
        var headers = routedHeaders(prepared, candidate: candidate, cost: candidate.expectedCost)
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let endpoint = self
        let filter = UsageChunkFilter(request: prepared.body)
        let body = ResponseBody { (writer: inout any ResponseBodyWriter) in
            var status = "ok"
            defer {
                box.finish()
                var record = Self.record(prepared, served: candidate, attempts: attempts, status: status)
                let usage = box.usage
                record.actualPromptTokens = usage?.promptTokens
                record.actualOutputTokens = usage?.completionTokens
                record.actualCost = endpoint.actualCost(usage, candidate: candidate, prepared)
                record.latencyMilliseconds = Self.milliseconds(since: prepared.started)
                endpoint.finish(prepared, record: record, streamed: true, status: 200)
            }
            do {
                try await writer.write(ByteBuffer(bytes: first))
            } catch {
                status = "client_cancelled"
                throw error
            }
            while true {
                let frames: [Data]?
                do {
                    frames = try await box.nextFrames()
                } catch where Task.isCancelled {
                    status = Self.cancellationStatus
                    return
                } catch {
                    // Too late to fail over: tell the client in the stream, as OpenAI does.
                    status = "upstream_cut"
                    let message = (error as? UpstreamError)?.description ?? "the upstream stream failed"
                    let event = JSONWriter.bytes(.object(["error": .object([
                        "message": .string("upstream \(candidate.offer.provider) failed mid-stream: \(message)"),
                        "type": "server_error", "param": .null, "code": "upstream_stream_cut",
                    ])]))
                    try? await writer.write(ByteBuffer(bytes: Array("data: ".utf8) + event + Array("\n\n".utf8)))
                    try? await writer.finish(nil)
                    return
                }
                guard let frames else {
                    // A cancelled consumer sees the upstream stream end early, not fail.
                    if Task.isCancelled {
                        status = Self.cancellationStatus
                        return
                    }
                    break
                }
                // What arrived together goes out together: one write, never a wait for more.
                var buffer = ByteBuffer()
                for frame in frames where filter.passes(frame) { buffer.writeBytes(frame) }
                guard buffer.readableBytes > 0 else { continue }
                do {
                    try await writer.write(buffer)
                } catch {
                    status = "client_cancelled"
                    throw error
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Why a cancelled request was cancelled: the daemon stopped it at the end of its drain
    /// (`cancelled`), or its client closed the connection (`client_cancelled`).
    static var cancellationStatus: String {
        guard let connection = ClientConnection.current, !connection.stoppedByDaemon, connection.closedByClient else { return "cancelled" }
        return "client_cancelled"
    }

    /// The request was cancelled before an answer could start: logged; the answer only
    /// reaches a daemon's client that is still there.
    private func cancelled(_ prepared: Prepared, attempts: [String]) -> Response {
        let status = Self.cancellationStatus
        var record = Self.record(prepared, served: nil, attempts: attempts, status: status)
        record.latencyMilliseconds = Self.milliseconds(since: prepared.started)
        gateway.log(record)
        let code = status == "client_cancelled" ? 499 : 503
        gateway.metrics.request(status: code, duration: .now - prepared.started, streamed: prepared.profile.stream)
        let message = status == "client_cancelled" ? "the client closed the request" : "the daemon is shutting down"
        return GatewayError(status: .init(code: code), type: status, code: nil, param: nil, message: message).response()
    }

    private func allFailed(_ prepared: Prepared, failures: [UpstreamError], attempts: [String]) -> Response {
        var record = Self.record(prepared, served: nil, attempts: attempts, status: "upstream_failed")
        record.latencyMilliseconds = Self.milliseconds(since: prepared.started)
        gateway.log(record)
        var error: GatewayError
        if let last = failures.last, !Self.failsOver(last) {
            error = GatewayError(
                status: .badRequest, type: "invalid_request_error",
                code: last.kind == .contextLengthExceeded ? "context_length_exceeded" : "upstream_rejected_request",
                param: nil, message: "\(prepared.decision.ranked.first?.offer.provider ?? "the provider") rejected the request: \(last.message)")
        } else if !failures.isEmpty, failures.allSatisfy(Self.isUntranslatable) {
            error = GatewayError(
                status: .badRequest, type: "invalid_request_error", code: "upstream_rejected_request", param: nil,
                message: "no offer tried can express the request in its provider's format (\(attempts.joined(separator: ", "))): \(failures.last?.message ?? "")")
        } else {
            let allTimedOut = !failures.isEmpty && failures.allSatisfy { $0.kind == .timeout }
            let busy = failures.contains { [.rateLimited, .overloaded, .localResources].contains($0.kind) } || failures.isEmpty
            let status: HTTPResponse.Status = allTimedOut ? .gatewayTimeout : (busy ? .serviceUnavailable : .badGateway)
            let summary = attempts.isEmpty ? "no offer could be tried" : attempts.joined(separator: ", ")
            error = GatewayError(
                status: status, type: "server_error", code: "upstream_failed", param: nil,
                message: "every offer failed (\(summary)); last error: \(failures.last?.description ?? "none")")
            error.retryAfterSeconds = failures.compactMap(\.retryAfterSeconds).min()
        }
        gateway.metrics.error(type: error.code ?? error.type)
        gateway.metrics.request(status: Int(error.status.code), duration: .now - prepared.started, streamed: prepared.profile.stream)
        var headers = HTTPFields()
        headers[.tokenbrokerDecision] = prepared.decisionID
        return error.response(extraHeaders: headers)
    }

    private func routedHeaders(_ prepared: Prepared, candidate: Candidate, cost: Money) -> HTTPFields {
        var headers = HTTPFields()
        headers[.tokenbrokerProvider] = candidate.offer.provider
        headers[.tokenbrokerModel] = candidate.offer.model
        headers[.tokenbrokerDecision] = prepared.decisionID
        headers[.tokenbrokerCost] = cost.decimalString()
        return headers
    }

    /// What the request cost at the price version it was routed with, from the usage the
    /// provider reported; nil when it reported none.
    func actualCost(_ usage: Usage?, candidate: Candidate, _ prepared: Prepared) -> Money? {
        guard let usage, let version = prepared.snapshot.table.priceVersion(of: candidate.offer) else { return nil }
        let mix = TokenMix(
            promptTokens: usage.promptTokens, cachedPromptTokens: usage.cachedPromptTokens, outputTokens: usage.completionTokens)
        return Pricing.cost(of: mix, at: version, credit: prepared.context.credits[candidate.offer.provider] ?? .zero)?.effective
    }

    /// Notes the served provider for the stream, logs the decision and counts it.
    func finish(_ prepared: Prepared, record: DecisionRecord, streamed: Bool, status: Int) {
        var record = record
        if let provider = record.chosen?.provider {
            let previous = gateway.state.served(stream: prepared.streamKey, by: provider)
            record.previousProvider = previous
            record.switched = previous != nil && previous != provider
            let spend = record.actualCost ?? record.expectedCost ?? .zero
            gateway.state.addSpend(spend, tenant: prepared.key.tenant, now: prepared.at)
            gateway.metrics.decision(provider: provider, switchedFrom: previous, spend: spend)
        }
        gateway.log(record)
        gateway.metrics.request(status: status, duration: .now - prepared.started, streamed: streamed)
    }

    static func record(_ prepared: Prepared, served: Candidate?, attempts: [String], status: String) -> DecisionRecord {
        let decision = prepared.decision
        var held = false
        if case .held = decision.hysteresis { held = true }
        return DecisionRecord(
            id: prepared.decisionID, at: prepared.at, tenant: prepared.key.tenant, policy: decision.policy,
            streamKey: prepared.streamKey, target: decision.target.description, chosen: served?.offer,
            expectedCost: served?.expectedCost, priceEffectiveAt: served?.priceEffectiveAt,
            promptTokensEstimate: decision.mix.promptTokens, outputTokensEstimate: decision.mix.outputTokens,
            candidates: decision.ranked.map { "\($0.offer)=\($0.expectedCost.decimalString())" },
            exclusions: decision.exclusionCounts, previousProvider: prepared.context.previousProvider,
            switched: false, heldByHysteresis: held, attempts: attempts, status: status)
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        Int((ContinuousClock.now - start).nanoseconds / 1_000_000)
    }
}

/// Hands a stream's iterator from the dispatch loop to the response body writer. Only one
/// task uses it at a time: the loop until it returns the response, then the writer.
final class StreamBox: @unchecked Sendable {
    private var iterator: UpstreamStream.Iterator
    private let stream: UpstreamStream
    private let onFinish: @Sendable () -> Void
    private var finished = false

    /// - Parameter onFinish: called exactly once: by ``finish()`` or when the box is dropped.
    init(_ stream: UpstreamStream, onFinish: @escaping @Sendable () -> Void) {
        self.stream = stream
        self.iterator = stream.makeAsyncIterator()
        self.onFinish = onFinish
    }

    deinit { finish() }

    func finish() {
        guard !finished else { return }
        finished = true
        onFinish()
    }

    func next() async throws -> Data? { try await iterator.next() }

    func nextFrames() async throws -> [Data]? { try await iterator.nextFrames() }

    var usage: Usage? { stream.usage.current }
}
