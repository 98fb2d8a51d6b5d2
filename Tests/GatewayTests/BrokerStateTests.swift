import BrokerCore
import CurlTransport
import Foundation
import ProviderAdapters
import HTTPTypes
import Synchronization
import Testing

@testable import Gateway

@Suite struct BrokerStateTests {
    static let offerA = OfferID(provider: "a", model: "m")
    static let offerB = OfferID(provider: "b", model: "m")

    static func catalogue() -> Catalogue {
        let model = Model(
            id: "m", family: "m", quality: QualityScore(score: 1300, source: "test"), capabilities: [.streaming],
            advertisedContext: 100_000, maxOutputTokens: 4_000)
        let providers = [
            Provider(id: "a", wireFormat: .openai, baseURL: "https://a.invalid/v1", credentials: .environment("A_KEY"), region: "us"),
            Provider(id: "b", wireFormat: .gemini, baseURL: "https://b.invalid/v1beta", credentials: .none, region: "us"),
        ]
        let price = { (input: String) in
            PriceVersion(
                input: .perMtok(TokenPrice(usdPerMtok: input)!), output: .perMtok(TokenPrice(usdPerMtok: input)!),
                effectiveAt: Date(timeIntervalSince1970: 0), source: "test")
        }
        return Catalogue(
            providers: providers, models: [model],
            offers: [PricedOffer(offer: Offer(id: offerA), price: price("1")), PricedOffer(offer: Offer(id: offerB), price: price("2"))],
            policies: [])
    }

    static func snapshot(environment: [String: String] = ["A_KEY": "sk-a"], demo: String? = nil) -> BrokerSnapshot {
        BrokerSnapshot(catalogue: catalogue(), at: Date(timeIntervalSince1970: 1000), environment: environment, demoUpstream: demo, credits: [])
    }

    @Test func credentialsComeFromTheEnvironmentAndMissingOnesTakeTheProviderOut() {
        let withKey = Self.snapshot()
        #expect(withKey.upstreams["a"]?.endpoint.apiKey == "sk-a")
        #expect(withKey.upstreams["a"]?.endpoint.baseURL == "https://a.invalid/v1")
        #expect(withKey.unavailable.isEmpty)
        let without = Self.snapshot(environment: [:])
        #expect(without.unavailable["a"] == "environment variable A_KEY is not set")
        let state = BrokerState(snapshot: without)
        #expect(state.routingContext(stream: "t/auto", now: Date()).disabledProviders == ["a"])
    }

    @Test func theDemoOverlayServesProvidersWithoutKeysAtTheirFormatsStandardPath() {
        let demo = Self.snapshot(environment: [:], demo: "http://127.0.0.1:9100/")
        #expect(demo.unavailable.isEmpty)
        #expect(demo.upstreams["a"]?.isDemo == true)
        #expect(demo.upstreams["a"]?.endpoint.baseURL == "http://127.0.0.1:9100/v1")
        #expect(demo.upstreams["a"]?.endpoint.apiKey == nil)
        #expect(demo.upstreams["b"]?.endpoint.baseURL == "http://127.0.0.1:9100/v1beta")
        // A provider whose key is set keeps its real endpoint.
        let mixed = Self.snapshot(environment: ["A_KEY": "sk-a"], demo: "http://127.0.0.1:9100")
        #expect(mixed.upstreams["a"]?.isDemo == false)
        #expect(mixed.upstreams["a"]?.endpoint.baseURL == "https://a.invalid/v1")
    }

    @Test func aFailingOfferLeavesRoutingUntilItsCoolDownEndsThenOneProbeGoesThrough() {
        let state = BrokerState(snapshot: Self.snapshot(), breakerPolicy: .init(failureThreshold: 2, coolDown: 10))
        let start = Date(timeIntervalSince1970: 5000)
        state.record(.failure(retryAfter: nil), for: Self.offerA, at: start)
        #expect(state.routingContext(stream: "s", now: start).openCircuits.isEmpty)
        state.record(.failure(retryAfter: nil), for: Self.offerA, at: start)
        #expect(state.routingContext(stream: "s", now: start + 1).openCircuits == [Self.offerA])
        #expect(state.admit(Self.offerA, at: start + 1) == .rejected)
        // Cool-down over: the offer competes again and exactly one request probes it.
        #expect(state.routingContext(stream: "s", now: start + 11).openCircuits.isEmpty)
        #expect(state.admit(Self.offerA, at: start + 11) == .probe)
        #expect(state.routingContext(stream: "s", now: start + 11).openCircuits == [Self.offerA])
        state.record(.success, for: Self.offerA, at: start + 12)
        #expect(state.routingContext(stream: "s", now: start + 12).openCircuits.isEmpty)
        #expect(state.admit(Self.offerA, at: start + 12) == .admitted)
    }

    @Test func retryAfterKeepsTheCircuitOpenThatLong() {
        let state = BrokerState(snapshot: Self.snapshot(), breakerPolicy: .init(failureThreshold: 5, coolDown: 10))
        let start = Date(timeIntervalSince1970: 5000)
        state.record(.failure(retryAfter: 60), for: Self.offerB, at: start)
        #expect(state.routingContext(stream: "s", now: start + 30).openCircuits == [Self.offerB])
        #expect(state.routingContext(stream: "s", now: start + 61).openCircuits.isEmpty)
    }

    @Test func aRejectedReloadStaysReportedUntilAReloadWorks() {
        let state = BrokerState(snapshot: Self.snapshot())
        state.noteReload(error: "alpha.yaml:2:14: wire_format: unknown")
        // A periodic refresh or `prices set` swaps the snapshot but is not a reload.
        state.replace(Self.snapshot())
        #expect(state.lastReloadError == "alpha.yaml:2:14: wire_format: unknown")
        state.noteReload(error: nil)
        #expect(state.lastReloadError == nil)
    }

    @Test func streamsRememberTheirLastProviderForHysteresis() {
        let state = BrokerState(snapshot: Self.snapshot(), lastProviders: ["t/auto": "b"])
        #expect(state.routingContext(stream: "t/auto", now: Date()).previousProvider == "b")
        #expect(state.served(stream: "t/auto", by: "a") == "b")
        #expect(state.routingContext(stream: "t/auto", now: Date()).previousProvider == "a")
    }

    @Test func spendIsLoadedOncePerPeriodAndThenAccumulated() async throws {
        let state = BrokerState(snapshot: Self.snapshot())
        let day = Date(timeIntervalSince1970: 1_795_000_000)
        let starts = Mutex<[Date]>([])
        let load: @Sendable (Date) async throws -> Money = { start in
            starts.withLock { $0.append(start) }
            return Money(usd: "1")!
        }
        #expect(try await state.spend(tenant: "t", period: .day, now: day, load: load) == Money(usd: "1"))
        state.addSpend(Money(usd: "0.5")!, tenant: "t", now: day)
        #expect(try await state.spend(tenant: "t", period: .day, now: day + 60, load: load) == Money(usd: "1.5"))
        #expect(starts.withLock { $0 } == [BudgetPeriodStart.day.start(containing: day)])
        // A new day starts a new period: read from the store again.
        #expect(try await state.spend(tenant: "t", period: .day, now: day + 86_400, load: load) == Money(usd: "1"))
        #expect(starts.withLock { $0 } == [BudgetPeriodStart.day.start(containing: day), BudgetPeriodStart.day.start(containing: day + 86_400)])
        #expect(BudgetPeriodStart.month.start(containing: day) <= BudgetPeriodStart.day.start(containing: day))
    }

    @Test func routingHeadersAreValidated() throws {
        var headers = HTTPFields()
        headers[.tokenbrokerMinQuality] = "1400"
        headers[.tokenbrokerDataClass] = "confidential"
        headers[.tokenbrokerMaxCost] = "0.05"
        let overrides = try ChatCompletionsEndpoint.overrides(headers)
        #expect(overrides == RequestOverrides(minQuality: 1400, dataClass: .confidential, maxCost: Money(usd: "0.05")))
        // A cap with a separator is refused, never read larger than meant: "0,05" was $5.
        let badValues: [(HTTPField.Name, String)] = [
            (.tokenbrokerMinQuality, "high"), (.tokenbrokerDataClass, "secret"), (.tokenbrokerMaxCost, "-1"),
            (.tokenbrokerMaxCost, "0,05"), (.tokenbrokerMaxCost, "1,500"), (.tokenbrokerMaxCost, "1_0"), (.tokenbrokerMaxCost, "5e-3"),
        ]
        for (name, value) in badValues {
            var bad = HTTPFields()
            bad[name] = value
            #expect {
                _ = try ChatCompletionsEndpoint.overrides(bad)
            } throws: { error in
                (error as? GatewayError)?.param == name.rawName && (error as? GatewayError)?.status == .badRequest
            }
        }
    }

    /// Our adapter refusing what its format cannot express (no status: nothing was sent) is
    /// no verdict on the request: another format may carry it.
    @Test func whatAnAdapterCannotTranslateFailsOver() {
        let untranslatable = UpstreamError(kind: .badRequest, message: "request: tool call c2 has no function")
        #expect(ChatCompletionsEndpoint.isUntranslatable(untranslatable))
        #expect(ChatCompletionsEndpoint.failsOver(untranslatable))
        #expect(!ChatCompletionsEndpoint.failsOver(UpstreamError(kind: .badRequest, status: 400, message: "bad")))
    }

    @Test func onlyRequestFaultsStopFailover() {
        #expect(!ChatCompletionsEndpoint.failsOver(UpstreamError(kind: .badRequest, status: 400, message: "")))
        #expect(!ChatCompletionsEndpoint.failsOver(UpstreamError(kind: .contextLengthExceeded, message: "")))
        for kind in [
            UpstreamError.Kind.overloaded, .rateLimited, .serverError, .timeout, .connectionFailure, .malformedResponse, .authentication,
            .localResources,
        ] {
            #expect(ChatCompletionsEndpoint.failsOver(UpstreamError(kind: kind, message: "")))
        }
    }

    @Test func errorsQuoteAClientsValueOnlyInPart() {
        #expect(GatewayError.excerpt("gpt-5") == "gpt-5")
        let huge = String(repeating: "m", count: 1 << 20)
        #expect(GatewayError.excerpt(huge) == String(repeating: "m", count: 100) + "… (1048576 bytes)")
    }

    @Test func anAttemptsOutcomeIsItsStatusUnlessTheAnswerWasUnreadable() {
        #expect(ChatCompletionsEndpoint.outcome(UpstreamError(kind: .overloaded, status: 503, message: "")) == "503")
        #expect(ChatCompletionsEndpoint.outcome(UpstreamError(kind: .timeout, message: "")) == "timeout")
        // A 200 whose body was garbage is no success in the log.
        #expect(ChatCompletionsEndpoint.outcome(UpstreamError(kind: .malformedResponse, status: 200, message: "")) == "malformedResponse")
        let timeout = ProviderClient.upstreamError(TransportError(kind: .timeout, message: "Operation timed out"), midBody: true)
        #expect(timeout.description == "timeout: Operation timed out")
        let cut = ProviderClient.upstreamError(TransportError(kind: .connectionLost, message: "reset"), midBody: true)
        #expect(cut.description == "malformedResponse: connectionLost: reset")
    }

    @Test func aSocketThisProcessCouldNotOpenIsLocalNotTheProvidersFailure() {
        let local = ProviderClient.upstreamError(
            TransportError(kind: .localResources, message: "cannot open a socket: Too many open files", curlCode: 7), midBody: false)
        #expect(local.kind == .localResources && local.isRetryable)
        #expect(local.message.contains("Too many open files"))
        let refused = ProviderClient.upstreamError(TransportError(kind: .connectionFailed, message: "refused", curlCode: 7), midBody: false)
        #expect(refused.kind == .connectionFailure)
    }
}
