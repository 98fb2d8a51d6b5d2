import BrokerCore
import BrokerStore
import Foundation
import Testing

@testable import Gateway

@Suite struct GatewayConfigurationTests {
    @Test func aFullFileIsRead() throws {
        let configuration = try GatewayConfiguration.parse(
            yaml: """
                listen: "[::1]:9000"
                db: /var/lib/tokenbroker/state.sqlite
                providers: /etc/tokenbroker/providers
                demo_upstream: http://127.0.0.1:9100
                request_timeout_seconds: 30
                failover_candidates: 3
                upstream_connections_per_host: 128
                listen_backlog: 512
                idle_timeout_seconds: 15
                access_log: true
                circuit_breaker: {failures: 2, cool_down_seconds: 5}
                keys:
                  - tenant: acme
                    key: tb-acme-0123456789abcdef
                    budget_usd: "12.50"
                    period: day
                    policy: bulk
                  - tenant: ops
                    key_sha256: \(String(repeating: "AB", count: 32))
                """)
        #expect(configuration.listen == ListenAddress(host: "::1", port: 9000))
        #expect(configuration.database == "/var/lib/tokenbroker/state.sqlite")
        #expect(configuration.requestTimeoutSeconds == 30)
        #expect(configuration.failoverCandidates == 3)
        #expect(configuration.upstreamConnectionsPerHost == 128)
        #expect(configuration.listenBacklog == 512)
        #expect(configuration.idleTimeoutSeconds == 15)
        #expect(GatewayConfiguration().upstreamConnectionsPerHost == 0)
        #expect(configuration.accessLog)
        #expect(!GatewayConfiguration().accessLog)
        #expect(configuration.circuitBreaker.failureThreshold == 2)
        #expect(configuration.circuitBreaker.coolDown == 5)
        #expect(configuration.bootstrapKeys.count == 2)
        let acme = configuration.bootstrapKeys[0]
        #expect(acme.budget == Money(usd: "12.50"))
        #expect(acme.period == .day)
        #expect(acme.hash == APIKeyHash.hash("tb-acme-0123456789abcdef"))
        #expect(configuration.bootstrapKeys[1].hash == String(repeating: "ab", count: 32))
    }

    @Test(arguments: [
        ("lisen: 127.0.0.1:80", "lisen"),
        ("listen: localhost", "listen"),
        ("listen: 127.0.0.1:70000", "listen"),
        ("listen: \"[::1:80\"", "listen"),
        ("listen: \"::1:80\"", "listen"),
        ("listen: \"[]:80\"", "listen"),
        ("listen: \"[localhost]:80\"", "listen"),
        ("listen: \"local host:80\"", "listen"),
        ("failover_candidates: 0", "failover_candidates"),
        ("upstream_connections_per_host: -1", "upstream_connections_per_host"),
        ("listen_backlog: 0", "listen_backlog"),
        ("circuit_breaker: {failures: 1, colldown: 3}", "circuit_breaker.colldown"),
        ("keys: [{tenant: a}]", "keys[0]"),
        ("keys: [{tenant: a, key: short}]", "keys[0].key"),
        ("keys: [{tenant: a, key: tb-0123456789abcdef, budget_usd: lots}]", "keys[0].budget_usd"),
        ("log_level: loud", "log_level"),
        ("access_log: sometimes", "access_log"),
        ("keys: [{tenant: a, key_sha256: \(String(repeating: "0", count: 64))}]", "keys[0].key_sha256"),
        ("demo_upstream: not a url", "demo_upstream"),
        ("keys: [{tenant: \"a/b\", key: tb-0123456789abcdef}]", "keys[0].tenant"),
        ("keys: [{tenant: \"a\\nb\", key: tb-0123456789abcdef}]", "keys[0].tenant"),
        ("demo_upstream: ftp://mock:9000", "demo_upstream"),
        ("circuit_breaker: {cool_down_seconds: 300, max_cool_down_seconds: 10}", "circuit_breaker.cool_down_seconds"),
        ("keys: [{tenant: a, key: tb-0123456789abcdef}, {tenant: b, key: tb-0123456789abcdef}]", "keys[1]"),
        ("keys: [{tenant: a, key: abc0123456789abcdef}, {tenant: b, key_sha256: \"\(APIKeyHash.hash("abc0123456789abcdef"))\"}]", "keys[1]"),
    ])
    func badValuesNameTheirField(yaml: String, field: String) {
        #expect {
            _ = try GatewayConfiguration.parse(yaml: yaml, source: "tb.yaml")
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.field == field && error?.source == "tb.yaml"
        }
    }

    /// One line with the position, as for provider files (Yams's own text spans three lines).
    @Test(arguments: [
        ("listen: [1, 2", "tb.yaml:2:1: YAML syntax: did not find expected ',' or ']'"),
        ("log_level: info\nlog_level: debug\n", "tb.yaml:1:1: YAML syntax: duplicated keys: log_level"),
    ])
    func yamlSyntaxErrorsAreOneLineWithTheirPosition(yaml: String, expected: String) {
        #expect {
            _ = try GatewayConfiguration.parse(yaml: yaml, source: "tb.yaml")
        } throws: { error in
            (error as? ConfigurationError)?.description == expected
        }
    }

    /// `--check` (and the start, before the database is created) refuses a group the system
    /// does not have; it used to pass the check and fail the start after writing the store.
    @Test func anUnknownControlGroupIsRefusedByTheCheck() throws {
        var configuration = GatewayConfiguration()
        configuration.controlGroup = "no-such-group-tokenbroker"
        #expect {
            try configuration.checkAgainst(policies: [String]())
        } throws: { error in
            (error as? ConfigurationError)?.field == "control_group"
        }
        configuration.controlGroup = "0"
        try configuration.checkAgainst(policies: [String]())
    }

    /// A reload names every changed setting it cannot apply (it named only listen and db).
    @Test func aReloadNamesTheChangesThatNeedARestart() throws {
        let old = try GatewayConfiguration.parse(yaml: "log_level: info\nmax_body_bytes: 2048")
        let new = try GatewayConfiguration.parse(yaml: "log_level: debug\nmax_body_bytes: 4096\ndrain_timeout_seconds: 5")
        #expect(Gateway.restartOnlyChanges(from: old, to: new) == ["drain_timeout_seconds", "log_level", "max_body_bytes"])
        #expect(Gateway.restartOnlyChanges(from: old, to: old).isEmpty)
    }

    @Test func refusalsAreLoggedAtMostOnceASecondWithTheCountDropped() {
        let limit = LogRateLimit()
        let start = ContinuousClock.now
        #expect(limit.admit(now: start) == 0)
        #expect(limit.admit(now: start + .milliseconds(10)) == nil)
        #expect(limit.admit(now: start + .milliseconds(900)) == nil)
        #expect(limit.admit(now: start + .milliseconds(1_000)) == 2)
        #expect(limit.admit(now: start + .milliseconds(2_500)) == 0)
    }

    @Test func anUnquotedKeyHashIsRefusedWithAHintToQuoteIt() {
        #expect {
            _ = try GatewayConfiguration.parse(yaml: "keys: [{tenant: a, key_sha256: \(String(repeating: "0", count: 64))}]")
        } throws: { error in
            (error as? ConfigurationError)?.message == "expected 64 hex digits in quotes"
        }
    }

    @Test func flagsOverrideTheEnvironmentWhichOverridesTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "listen: 127.0.0.1:1000\ndb: from-file.sqlite\nproviders: from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = try GatewayConfiguration.load(
            file: file, environment: ["TOKENBROKER_DB": "from-env.sqlite", "TOKENBROKER_LISTEN": "127.0.0.1:2000"],
            overrides: .init(listen: "127.0.0.1:3000"))
        #expect(configuration.listen.port == 3000)
        #expect(configuration.database == "from-env.sqlite")
        #expect(configuration.providersDirectory == "from-file")
        #expect(throws: ConfigurationError.self) {
            _ = try GatewayConfiguration.load(file: nil, environment: ["TOKENBROKER_LISTEN": "nowhere"])
        }
    }

    @Test func emptyPathsAndBadURLsFromTheEnvironmentAreRefused() throws {
        for (variable, field) in [("TOKENBROKER_DB", "db"), ("TOKENBROKER_PROVIDERS", "providers"), ("TOKENBROKER_CONTROL_SOCKET", "control_socket"),
                                  ("TOKENBROKER_DEMO_UPSTREAM", "demo_upstream")] {
            #expect {
                _ = try GatewayConfiguration.load(file: nil, environment: [variable: variable == "TOKENBROKER_DEMO_UPSTREAM" ? "mock:9000" : ""])
            } throws: { error in
                (error as? ConfigurationError)?.field == field && (error as? ConfigurationError)?.source == "environment"
            }
        }
        // An empty demo upstream turns the overlay off, as before.
        #expect(try GatewayConfiguration.load(file: nil, environment: ["TOKENBROKER_DEMO_UPSTREAM": ""]).demoUpstream == nil)
    }

    @Test func bootstrapKeyPoliciesAndTheSocketPathAreCheckedAgainstTheCatalogue() throws {
        var configuration = try GatewayConfiguration.parse(yaml: "keys: [{tenant: a, key: tb-0123456789abcdef, policy: cheap}]")
        try configuration.checkAgainst(policies: ["cheap", "auto"])
        #expect {
            try configuration.checkAgainst(policies: ["best"])
        } throws: { error in
            (error as? ConfigurationError)?.field == "keys[0].policy"
        }
        configuration.bootstrapKeys = []
        configuration.controlSocket = "/tmp/" + String(repeating: "s", count: 110)
        #expect {
            try configuration.checkAgainst(policies: [])
        } throws: { error in
            (error as? ConfigurationError)?.field == "control_socket"
        }
    }

    @Test func keyHashesAreSHA256Hex() {
        // FIPS 180-2 test vector.
        #expect(APIKeyHash.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let key = APIKeyHash.generate()
        #expect(key.hasPrefix("tb-") && key.count == 46)
        #expect(APIKeyHash.generate() != key)
        #expect(APIKeyHash.keyID(hash: APIKeyHash.hash(key)).count == 16)
    }
}

@Suite struct DeployFilesTests {
    /// The production example must stay loadable as the configuration grows.
    @Test func theProductionExampleConfigurationLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("Deploy/tokenbrokerd.yaml").path
        let configuration = try GatewayConfiguration.load(file: file, environment: [:])
        #expect(configuration.listen == ListenAddress(host: "0.0.0.0", port: 8080))
        #expect(configuration.database == "/var/lib/tokenbroker/tokenbroker.sqlite")
        #expect(configuration.bootstrapKeys.first?.budget == Money(usd: "500.00"))
        #expect(configuration.bootstrapKeys.first?.period == .month)
    }
}
