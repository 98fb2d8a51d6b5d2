import CurlTransport
import Foundation
import Synchronization

/// Load for `Benchmarks/transport.sh`: 1 KB non-streaming POSTs through CurlTransport at a
/// fixed concurrency for a fixed time, then the delay from an upstream SSE event being
/// written to its delivery to the consumer. Prints one JSON object.
///
///     TransportLoad --url http://127.0.0.1:9100/v1/chat/completions --body body.json --concurrency 32 --seconds 10
@main
enum TransportLoad {
    static func main() async throws {
        let arguments = Arguments(CommandLine.arguments.dropFirst())
        let url = arguments.value("--url") ?? "http://127.0.0.1:9100/v1/chat/completions"
        let body = try Data(contentsOf: URL(fileURLWithPath: arguments.value("--body") ?? "body.json"))
        let concurrency = Int(arguments.value("--concurrency") ?? "32") ?? 32
        let seconds = Double(arguments.value("--seconds") ?? "10") ?? 10
        // Each worker waits this long between requests (wrk's `delay()`): a paced load, where
        // threads go idle between requests, instead of back-to-back requests.
        let delay = Int(arguments.value("--delay-ms") ?? "0") ?? 0
        let transport = try CurlTransport()

        let load = try await requestLoad(
            transport: transport, url: url, body: body, concurrency: concurrency, seconds: seconds, delay: delay)
        if arguments.values.contains("--no-sse") {
            print(#"{"requests": \#(load.count), "errors": \#(load.errors), "requests_per_second": \#(Double(load.count) / load.seconds), "latency_p50_us": \#(load.percentile(0.50)), "latency_p99_us": \#(load.percentile(0.99))}"#)
            transport.shutdown()
            return
        }
        let delivery = try await SSEDelivery.measure(transport: transport, events: 2_000)
        let result: [String: Any] = [
            "requests": load.count, "errors": load.errors, "seconds": load.seconds,
            "requests_per_second": Double(load.count) / load.seconds,
            "latency_p50_us": load.percentile(0.50), "latency_p99_us": load.percentile(0.99),
            "sse_delivery_p50_us": delivery.transport.percentile(0.50),
            "sse_delivery_p99_us": delivery.transport.percentile(0.99),
            "sse_raw_socket_p50_us": delivery.raw.percentile(0.50),
            "sse_raw_socket_p99_us": delivery.raw.percentile(0.99),
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
        transport.shutdown()
    }

    static func requestLoad(
        transport: CurlTransport, url: String, body: Data, concurrency: Int, seconds: Double, delay: Int
    ) async throws -> Samples {
        let request = HTTPRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/json")], body: .bytes(body))
        // Warm the connections first, as wrk does.
        for _ in 0..<concurrency { _ = try await transport.data(for: request) }
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(seconds * 1_000))
        let started = clock.now
        let samples = await withTaskGroup(of: Samples.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var local = Samples()
                    while clock.now < deadline {
                        let start = clock.now
                        do {
                            let (response, _) = try await transport.data(for: request)
                            if response.status != 200 { local.errors += 1 }
                            local.add(clock.now - start)
                        } catch {
                            local.errors += 1
                        }
                        if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
                    }
                    return local
                }
            }
            var all = Samples()
            for await part in group { all.merge(part) }
            return all
        }
        var result = samples
        result.seconds = Double((clock.now - started).components.seconds) + Double((clock.now - started).components.attoseconds) / 1e18
        return result
    }
}

struct Samples {
    var microseconds: [Double] = []
    var errors = 0
    var seconds = 0.0
    var count: Int { microseconds.count }

    mutating func add(_ duration: Duration) {
        microseconds.append(Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12)
    }

    mutating func merge(_ other: Samples) {
        microseconds += other.microseconds
        errors += other.errors
    }

    func percentile(_ p: Double) -> Double {
        guard !microseconds.isEmpty else { return 0 }
        let sorted = microseconds.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

struct Arguments {
    let values: [String]
    init(_ values: ArraySlice<String>) { self.values = Array(values) }
    func value(_ name: String) -> String? {
        guard let index = values.firstIndex(of: name), index + 1 < values.count else { return nil }
        return values[index + 1]
    }
}
