import BrokerStore
import ExactJSON
import Foundation
import Testing

@testable import Gateway

/// What the request path caches or builds by hand for speed still behaves as the plain
/// versions did.
@Suite struct HotPathTests {
    static func directory(_ keys: [String], cacheLimit: Int = 4_096) throws -> (KeyDirectory, InMemoryStore) {
        let store = InMemoryStore()
        for (index, key) in keys.enumerated() {
            let hash = APIKeyHash.hash(key)
            try store.createKey(
                APIKeyRecord(id: APIKeyHash.keyID(hash: hash), tenant: "t\(index)", keyHash: hash, createdAt: Date(timeIntervalSince1970: 0)))
        }
        return (KeyDirectory(store: store, cacheLimit: cacheLimit), store)
    }

    @Test func aRememberedKeyStaysValidUntilReloadAndARevokedOneFailsAfter() throws {
        let (keys, store) = try Self.directory(["tb-one"])
        #expect(try keys.authenticate("Bearer tb-one").tenant == "t0")
        #expect(try store.revokeKey(id: APIKeyHash.keyID(hash: APIKeyHash.hash("tb-one")), at: Date()))
        // Still accepted: answered from the cache, not the store, until the directory reloads.
        #expect(try keys.authenticate("Bearer tb-one").tenant == "t0")
        keys.reload()
        #expect(throws: GatewayError.self) { try keys.authenticate("Bearer tb-one") }
    }

    @Test func malformedHeadersAreRefusedAndUnknownKeysAreNeverRemembered() throws {
        let (keys, store) = try Self.directory(["tb-one"])
        #expect(throws: GatewayError.self) { try keys.authenticate(nil) }
        #expect(throws: GatewayError.self) { try keys.authenticate("Basic tb-one") }
        #expect(throws: GatewayError.self) { try keys.authenticate("Bearer tb-two") }
        // Created after a failed attempt: found at once, not refused from a cache.
        let hash = APIKeyHash.hash("tb-two")
        try store.createKey(APIKeyRecord(id: APIKeyHash.keyID(hash: hash), tenant: "late", keyHash: hash, createdAt: Date()))
        #expect(try keys.authenticate("Bearer tb-two").tenant == "late")
        #expect(try keys.authenticate("bearer  tb-two ").tenant == "late")
    }

    /// The form the request path calls: the same answers, the store read on `io`.
    @Test func theRequestPathFormRemembersKeysAndRefusesBadHeaders() async throws {
        let (keys, store) = try Self.directory(["tb-one"])
        let io = BlockingExecutor(label: "test.key-lookups")
        await #expect(throws: GatewayError.self) { try await keys.authenticate(nil, lookingUpOn: io) }
        do {
            _ = try await keys.authenticate("Basic tb-one", lookingUpOn: io)
            Issue.record("a Basic header was accepted")
        } catch let error as GatewayError {
            #expect(error.message.contains("malformed Authorization header"))
        }
        await #expect(throws: GatewayError.self) { try await keys.authenticate("Bearer tb-two", lookingUpOn: io) }
        #expect(try await keys.authenticate("Bearer tb-one", lookingUpOn: io).tenant == "t0")
        #expect(try store.revokeKey(id: APIKeyHash.keyID(hash: APIKeyHash.hash("tb-one")), at: Date()))
        #expect(try await keys.authenticate("Bearer tb-one", lookingUpOn: io).tenant == "t0")
        keys.reload()
        await #expect(throws: GatewayError.self) { try await keys.authenticate("Bearer tb-one", lookingUpOn: io) }
    }

    @Test func aFullCacheStartsOverAndKeepsAnswering() throws {
        let names = (0..<10).map { "tb-key-\($0)" }
        let (keys, store) = try Self.directory(names, cacheLimit: 3)
        for _ in 0..<2 {
            for (index, name) in names.enumerated() {
                #expect(try keys.authenticate("Bearer \(name)").tenant == "t\(index)")
            }
        }
        // Fill the cache with keys 0–2, revoke key 0 in the store: still cached, still accepted.
        keys.reload()
        for name in names.prefix(3) { _ = try keys.authenticate("Bearer \(name)") }
        #expect(try store.revokeKey(id: APIKeyHash.keyID(hash: APIKeyHash.hash(names[0])), at: Date()))
        #expect(try keys.authenticate("Bearer \(names[0])").tenant == "t0")
        // A fourth key finds the cache full and starts it over: key 0 is read again, and refused.
        #expect(try keys.authenticate("Bearer \(names[3])").tenant == "t3")
        #expect(throws: GatewayError.self) { try keys.authenticate("Bearer \(names[0])") }
    }

    @Test func theStreamFilterFindsBytesAnywhereAndOnlyWhereTheyAre() throws {
        let needle = Array(#""choices":[]"#.utf8)
        let contains = { (text: String) in contained(Data(text.utf8)) }
        func contained(_ frame: Data) -> Bool {
            frame.withUnsafeBytes { UsageChunkFilter.firstOffset(of: needle, in: $0, from: 0) != nil }
        }
        #expect(contains(#""choices":[]"#))
        #expect(contains(#"data: {"id":"x","choices":[],"usage":{}}"#))
        #expect(contains(#"data: {"a":""choices"","choices":[]}"#))  // a partial match first
        #expect(!contains(#"data: {"choices":[{"index":0}]}"#))
        #expect(!contains(#""choices":["#))  // shorter than the needle
        #expect(!contains(""))
        // A slice whose indices do not start at zero.
        let framed = Data(#"xx"choices":[]"#.utf8).dropFirst(2)
        #expect(contained(framed))

        let filter = UsageChunkFilter(request: try JSONParser.parse(Array(#"{"stream":true}"#.utf8)))
        #expect(!filter.passes(Data(#"data: {"choices":[],"usage":{"prompt_tokens":1}}"#.utf8)))
        #expect(filter.passes(Data(#"data: {"choices":[{"index":0,"delta":{"content":"\"choices\":[]"}}]}"#.utf8)))
        // Whatever whitespace the provider's JSON writer puts around the colon and inside the brackets.
        for spaced in [#"data: {"choices": []}"#, #"data: {"choices" : [ ]}"#, "data: {\n  \"choices\":\t[\r\n  ]\n}"] {
            #expect(UsageChunkFilter.mentionsEmptyChoices(Data(spaced.utf8)))
            #expect(!filter.passes(Data(spaced.utf8)))
        }
        #expect(!UsageChunkFilter.mentionsEmptyChoices(Data(#"data: {"choices" : [ {"index":0} ]}"#.utf8)))
        #expect(!UsageChunkFilter.mentionsEmptyChoices(Data(#"data: {"choices" "#.utf8)))  // cut after the name
        // An empty "choices" deeper down is not the chunk's own: parsed, and passed.
        #expect(filter.passes(Data(#"data: {"x":{"choices":[]},"choices":[{"index":0}]}"#.utf8)))
        let asked = UsageChunkFilter(request: try JSONParser.parse(Array(#"{"stream_options":{"include_usage":true}}"#.utf8)))
        #expect(asked.passes(Data(#"data: {"choices":[],"usage":{"prompt_tokens":1}}"#.utf8)))
    }

    @Test func decisionIDsAreUniqueTimeOrderedAndWellFormed() {
        let at = Date(timeIntervalSince1970: 1_764_000_000.123)
        let ids = (0..<10_000).map { _ in DecisionID.make(at: at) }
        #expect(Set(ids).count == ids.count)
        let pattern = /^dec_[0-9a-f]{12}_[0-9a-f]{12}$/
        #expect(ids.allSatisfy { $0.wholeMatch(of: pattern) != nil })
        #expect(ids[0].hasPrefix("dec_" + String(UInt64(1_764_000_000_123), radix: 16).leftPadded(to: 12) + "_"))
        #expect(DecisionID.make(at: at.addingTimeInterval(0.001)) > DecisionID.make(at: at))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
