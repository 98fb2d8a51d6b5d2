import ExactJSON
import BrokerCore
import Foundation
import Testing

@testable import ProviderAdapters

/// The checked-in round trips: client request → upstream body, upstream response → OpenAI
/// body, upstream stream → OpenAI chunks, for every wire format. Compared as parsed JSON.
@Suite struct FixtureRoundTripTests {
    static let requestNames = ["chat", "tool-round-trip", "image", "stream"]
    static let responses: [(WireFormat, String)] = [
        (.openai, "chat"), (.openai, "tool-call"), (.anthropic, "chat"), (.anthropic, "tool-use"),
        (.anthropic, "max-tokens"), (.gemini, "chat"), (.gemini, "function-call"), (.gemini, "blocked"),
    ]
    static let streams: [(WireFormat, String)] = [
        (.openai, "chat"), (.openai, "tool-call"), (.anthropic, "chat"), (.anthropic, "tool-use"),
        (.gemini, "chat"), (.gemini, "function-call"),
    ]

    @Test(arguments: WireFormat.allCases, requestNames)
    func encodesRequest(format: WireFormat, name: String) throws {
        let adapter = ProviderAdapters.adapter(for: format)
        let request = try adapter.encode(
            openAIBody: try Fixture.data("requests/\(name).json"), upstreamModel: model(for: format),
            stream: name == "stream", endpoint: try #require(endpoints[format]))
        let expected = try Fixture.json("\(format.rawValue)/requests/\(name).json")
        #expect(try JSONParser.parse(request.body) == expected)
        #expect(request.method == "POST")
        #expect(request.header("Content-Type") == "application/json")
    }

    @Test(arguments: responses)
    func decodesResponse(format: WireFormat, name: String) throws {
        let adapter = ProviderAdapters.adapter(for: format)
        let response = try adapter.decodeResponse(
            status: 200, headers: [("Content-Type", "application/json")],
            body: try Fixture.data("\(format.rawValue)/responses/\(name).json"))
        let expected = try Fixture.json("\(format.rawValue)/responses/\(name).expected.json")
        #expect(try JSONParser.parse(response.body) == expected)
        let usage = try #require(expected["usage"])
        #expect(response.usage == (try OpenAIUsage.read(usage)))
    }

    @Test(arguments: streams)
    func decodesStreamInAnyChunking(format: WireFormat, name: String) throws {
        let adapter = ProviderAdapters.adapter(for: format)
        let body = [UInt8](try Fixture.data("\(format.rawValue)/streams/\(name).sse"))
        let expected = try Fixture.lines("\(format.rawValue)/streams/\(name).expected.jsonl")
        for chunking in Chunking.all {
            var decoder = adapter.makeStreamDecoder(model: model(for: format))
            let frames = try decoder.run(body, chunking)
            #expect(try parseFrames(frames) == expected, "\(chunking)")
            let usageChunk = try #require(expected.dropLast().last?["usage"])
            #expect(decoder.usage == (try OpenAIUsage.read(usageChunk)), "\(chunking)")
        }
    }

    /// A stream cut anywhere before its natural end is a malformed response, never a short answer.
    @Test(arguments: streams)
    func streamCutBeforeItsEndIsMalformed(format: WireFormat, name: String) throws {
        let adapter = ProviderAdapters.adapter(for: format)
        let body = [UInt8](try Fixture.data("\(format.rawValue)/streams/\(name).sse"))
        let end = try naturalEnd(of: body, format: format)
        for cut in stride(from: 0, to: end, by: max(1, end / 97)) {
            var decoder = adapter.makeStreamDecoder(model: "m")
            let error = #expect(throws: UpstreamError.self, "cut at \(cut) of \(body.count)") {
                try decoder.run(Array(body[..<cut]), .whole)
            }
            #expect(error?.kind == .malformedResponse, "cut at \(cut)")
        }
    }

    /// The offset just past the last byte a stream needs: its terminating blank line for
    /// OpenAI and Anthropic, for Gemini the whole body (it has no end marker).
    private func naturalEnd(of body: [UInt8], format: WireFormat) throws -> Int {
        let marker: String
        switch format {
        case .openai: marker = "data: [DONE]"
        case .anthropic: marker = "event: message_stop"
        case .gemini: return body.count
        }
        let text = String(decoding: body, as: UTF8.self)
        let range = try #require(text.range(of: marker))
        return text.utf8.distance(from: text.startIndex, to: range.upperBound) + 1
    }
}
