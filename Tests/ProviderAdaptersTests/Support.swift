import ExactJSON
import BrokerCore
import Foundation
import Testing

@testable import ProviderAdapters

/// Fixture files under `Fixtures/`, copied into the test bundle.
enum Fixture {
    static func data(_ path: String) throws -> Data {
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil), "fixture \(path) is missing")
        return try Data(contentsOf: url)
    }

    static func json(_ path: String) throws -> JSON {
        try JSONParser.parse(try data(path))
    }

    /// One JSON value per line; `[DONE]` stays a string.
    static func lines(_ path: String) throws -> [JSON] {
        let text = String(decoding: try data(path), as: UTF8.self)
        return try text.split(separator: "\n").map { line in
            line == "[DONE]" ? .string("[DONE]") : try JSONParser.parse(Array(line.utf8))
        }
    }
}

/// A deterministic generator, so a failing random chunking can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How to cut a body into the pieces a test feeds.
enum Chunking: CustomStringConvertible, Sendable {
    case whole
    case byteByByte
    case random(seed: UInt64)

    static let all: [Chunking] = [.whole, .byteByByte] + (1...8).map { .random(seed: $0) }

    func pieces(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        switch self {
        case .whole: return [bytes[...]]
        case .byteByByte: return bytes.indices.map { bytes[$0...$0] }
        case .random(let seed):
            var generator = SplitMix(state: seed)
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            while start < bytes.count {
                let length = Int.random(in: 1...17, using: &generator)
                let end = min(bytes.count, start + length)
                pieces.append(bytes[start..<end])
                start = end
            }
            return pieces
        }
    }

    var description: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case .random(let seed): "random(\(seed))"
        }
    }
}

extension StreamDecoder {
    /// Feeds `bytes` in `chunking`'s pieces, then finishes.
    mutating func run(_ bytes: [UInt8], _ chunking: Chunking) throws(UpstreamError) -> [Data] {
        var output: [Data] = []
        for piece in chunking.pieces(bytes) { output += try feed(piece) }
        output += try finish()
        return output
    }
}

/// Reads decoder output back: every frame must be exactly `data: …\n\n`; payloads as JSON,
/// `[DONE]` as a string.
func parseFrames(_ frames: [Data]) throws -> [JSON] {
    try frames.map { frame in
        let bytes = [UInt8](frame)
        #expect(bytes.starts(with: Array("data: ".utf8)) && bytes.suffix(2) == [0x0A, 0x0A], "bad frame")
        let payload = bytes.dropFirst(6).dropLast(2)
        #expect(!payload.contains(0x0A), "a frame's payload spans lines")
        if payload.elementsEqual("[DONE]".utf8) { return .string("[DONE]") }
        return try JSONParser.parse(payload)
    }
}

let formats: [(format: WireFormat, model: String)] = [
    (.openai, "gpt-4o-mini"), (.anthropic, "claude-sonnet-4-5"), (.gemini, "gemini-2.5-flash"),
]

let endpoints: [WireFormat: UpstreamEndpoint] = [
    .openai: UpstreamEndpoint(baseURL: "https://api.openai.com/v1", apiKey: "sk-test-0123456789abcdef"),
    .anthropic: UpstreamEndpoint(baseURL: "https://api.anthropic.com/v1/", apiKey: "sk-ant-test-0123456789"),
    .gemini: UpstreamEndpoint(baseURL: "https://generativelanguage.googleapis.com/v1beta", apiKey: "AIzaTest0123456789"),
]

func model(for format: WireFormat) -> String { formats.first { $0.format == format }?.model ?? "" }
