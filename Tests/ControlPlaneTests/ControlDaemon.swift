import BrokerCore
import BrokerFixtures
import BrokerStore
import CurlTransport
import Foundation

/// `tokenbrokerd` as a real process on a two-provider catalogue served by `tokenbroker-mock`:
/// `alpha` and `beta` both sell `m-open`, alpha cheaper. The control socket is in a fresh
/// directory the daemon creates.
final class ControlDaemon {
    static let key = "tb-control-test-key-0123456789"
    let directory: URL
    let socket: String
    let database: String
    let config: URL
    let mock: MockProviderProcess
    var child: ChildProcess?
    let log: URL

    init(extraConfig: String = "", seed: (SQLiteStore) throws -> Void = { _ in }) throws {
        directory = URL(fileURLWithPath: "/tmp/tbc-\(UUID().uuidString.prefix(8))")
        socket = directory.appendingPathComponent("run/control.sock").path
        database = directory.appendingPathComponent("state/tokenbroker.sqlite").path
        log = directory.appendingPathComponent("daemon.log")
        let providers = directory.appendingPathComponent("providers")
        try FileManager.default.createDirectory(at: providers, withIntermediateDirectories: true)
        try Self.models.write(to: providers.appendingPathComponent("models.yaml"), atomically: true, encoding: utf8)
        try Self.policies.write(to: providers.appendingPathComponent("policies.yaml"), atomically: true, encoding: utf8)
        for (name, input, output) in [("alpha", "1.00", "2.00"), ("beta", "3.00", "6.00")] {
            try Self.provider(name, input: input, output: output)
                .write(to: providers.appendingPathComponent("\(name).yaml"), atomically: true, encoding: utf8)
        }
        mock = try MockProviderProcess()
        config = directory.appendingPathComponent("tokenbrokerd.yaml")
        try """
            listen: 127.0.0.1:0
            db: \(database)
            control_socket: \(socket)
            providers: \(providers.path)
            demo_upstream: \(mock.baseURL)
            keys:
              - tenant: ops
                key: \(Self.key)
            \(extraConfig)
            """.write(to: config, atomically: true, encoding: utf8)
        let store = try SQLiteStore(path: database)
        try seed(store)
        try start()
    }

    func start() throws {
        child = try ChildProcess(
            executable: BuiltProducts.executable("tokenbrokerd"),
            arguments: ["--config", config.path, "--exit-with-parent", "--log-level", "info"], readyMarker: "listening on")
    }

    var address: String { child?.announcedAddress ?? "" }

    /// Runs `tokenbroker` against this daemon's socket.
    func cli(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIProcess.Result {
        try CLIProcess.run(arguments + ["--socket", socket], environment: environment)
    }

    /// One chat completion through the gateway; returns the status and the routing headers.
    func chat(key: String = ControlDaemon.key, model: String = "auto") async throws -> (status: Int, provider: String?, decision: String?) {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let body = #"{"model":"\#(model)","messages":[{"role":"user","content":"hello"}]}"#
        let (response, _) = try await transport.data(
            for: HTTPRequest(
                method: "POST", url: "http://\(address)/v1/chat/completions",
                headers: [("Authorization", "Bearer \(key)"), ("Content-Type", "application/json")], body: .bytes(Data(body.utf8)),
                timeout: .seconds(30)))
        return (response.status, response.header("x-tokenbroker-provider"), response.header("x-tokenbroker-decision"))
    }

    deinit {
        child?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    static let models = """
        quality_source: "control-plane test fixture"
        models:
          - id: m-open
            family: m
            quality: 1300
            capabilities: [tools, streaming, json_schema]
            context: 128000
            max_output: 8000
        """

    static let policies = """
        policies:
          - id: auto
            description: cheapest adequate
            data_class: internal
            switching_threshold_percent: 0
        """

    static func provider(_ name: String, input: String, output: String) -> String {
        """
        id: \(name)
        name: \(name.capitalized)
        wire_format: openai
        base_url: https://\(name).invalid/v1
        credentials:
          env: CONTROL_TEST_\(name.uppercased())_KEY
        region: us
        residency: cloud
        data_handling:
          trains_on_data: false
          max_data_class: internal
        prices:
          source: https://\(name).invalid/pricing
          as_of: 2026-01-01
        offers:
          - model: m-open
            upstream_model: m-open
            input: \(input)
            output: \(output)
        """
    }
}

private let utf8 = String.Encoding.utf8
