import Foundation
import Testing

@testable import ProviderAdapters

@Suite struct SSEParserTests {
    private func parse(_ text: String, _ chunking: Chunking = .whole) throws -> (events: [SSEEvent], ending: SSEParser.Ending) {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for piece in chunking.pieces(Array(text.utf8)) { events += try parser.feed(piece) }
        return (events, parser.finish())
    }

    @Test func fieldsAndMultiLineData() throws {
        let (events, ending) = try parse("event: update\nid: 7\nretry: 1500\ndata: first\ndata: second\n\n")
        #expect(events == [SSEEvent(type: "update", text: "first\nsecond", id: "7", retry: 1500)])
        #expect(ending == .clean)
    }

    @Test func severalEventsInOneChunk() throws {
        let (events, _) = try parse("data: a\n\ndata: b\n\nevent: x\ndata: c\n\n")
        #expect(events.map(\.text) == ["a", "b", "c"])
        #expect(events.map(\.type) == ["message", "message", "x"])
    }

    @Test func commentsAreIgnored() throws {
        let (events, ending) = try parse(": keep-alive\n\n:another\ndata: x\n: inside\n\n: trailing comment\n")
        #expect(events.map(\.text) == ["x"])
        #expect(ending == .clean)
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func everyLineEnding(_ eol: String) throws {
        let text = "event: e\(eol)data: one\(eol)data: two\(eol)\(eol)data: three\(eol)\(eol)"
        for chunking in Chunking.all {
            let (events, ending) = try parse(text, chunking)
            #expect(events == [SSEEvent(type: "e", text: "one\ntwo"), SSEEvent(text: "three")], "\(chunking)")
            #expect(ending == .clean, "\(chunking)")
        }
    }

    /// A `\r\n` split between two pieces is one line ending, not two (which would dispatch early).
    @Test func crlfSplitAcrossPieces() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("data: a\r".utf8)).isEmpty)
        #expect(try parser.feed(Array("\ndata: b\r".utf8)).isEmpty)
        #expect(try parser.feed(Array("\n\r".utf8)) == [SSEEvent(text: "a\nb")])
        #expect(try parser.feed(Array("\n".utf8)).isEmpty)
        #expect(parser.finish() == .clean)
    }

    @Test func fieldSyntaxEdgeCases() throws {
        // No space after the colon; only one space is dropped; a field without a colon.
        let (events, _) = try parse("data:tight\ndata:  two spaces\ndata\nunknown: x\n\n")
        #expect(events.map(\.text) == ["tight\n two spaces\n"])
    }

    @Test func eventWithoutDataIsNotDispatched() throws {
        let (events, _) = try parse("event: ping\n\nid: 3\n\ndata: x\n\n")
        #expect(events == [SSEEvent(text: "x", id: "3")])
    }

    @Test func emptyDataIsDispatched() throws {
        let (events, _) = try parse("data:\n\n")
        #expect(events == [SSEEvent(text: "")])
    }

    @Test func invalidRetryIsIgnored() throws {
        let (events, _) = try parse("retry: soon\ndata: x\n\n")
        #expect(events.first?.retry == nil)
    }

    @Test func byteOrderMarkAtStreamStart() throws {
        let (events, _) = try parse("\u{FEFF}data: x\n\n", .byteByByte)
        #expect(events.map(\.text) == ["x"])
    }

    @Test func multiByteCharactersSplitAnywhere() throws {
        let text = "data: héllo 😀 世界\n\n"
        for chunking in Chunking.all {
            #expect(try parse(text, chunking).events.map(\.text) == ["héllo 😀 世界"], "\(chunking)")
        }
    }

    @Test(arguments: ["data: partial", "data: complete\n", "event: x\n", "data: a\r"])
    func cutMidEvent(_ text: String) throws {
        #expect(try parse(text).ending == .midEvent)
    }

    @Test func oversizedEventIsRejected() throws {
        var parser = SSEParser(maxEventBytes: 64)
        #expect(throws: SSEParser.Overflow.self) { try parser.feed(Array(repeating: UInt8(ascii: "a"), count: 100)) }
    }

    /// Every fixture stream yields the same events however it is cut into pieces.
    @Test(arguments: [
        "openai/streams/chat.sse", "openai/streams/tool-call.sse", "anthropic/streams/chat.sse",
        "anthropic/streams/tool-use.sse", "gemini/streams/chat.sse", "gemini/streams/function-call.sse",
    ])
    func fixturesParseTheSameInAnyChunking(path: String) throws {
        let text = String(decoding: try Fixture.data(path), as: UTF8.self)
        let reference = try parse(text)
        #expect(!reference.events.isEmpty)
        #expect(reference.ending == .clean)
        for chunking in Chunking.all {
            let result = try parse(text, chunking)
            #expect(result.events == reference.events, "\(chunking)")
            #expect(result.ending == .clean, "\(chunking)")
        }
    }

    @Test func randomBytesNeverTrap() throws {
        var generator = SplitMix(state: 42)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                // Bias towards the bytes the parser branches on.
                [UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8.random(in: 0...255, using: &generator)]
                    .randomElement(using: &generator) ?? 0
            }
            var parser = SSEParser()
            _ = try parser.feed(bytes)
            _ = parser.finish()
        }
    }
}
