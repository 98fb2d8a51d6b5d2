import ExactJSON
import Foundation
import Testing

@testable import ProviderAdapters

@Suite struct JSONTests {
    @Test func roundTripKeepsOrderNumbersAndText() throws {
        let text = #"{"z":1.0,"a":[1e-7,-0,12345678901234567890],"s":"é \"q\" \\ \n\t\u0001 😀","n":null,"b":true}"#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(JSONWriter.string(value) == text)
        #expect(value.objectValue?.keys == ["z", "a", "s", "n", "b"])
    }

    @Test func escapesAndSurrogates() throws {
        let value = try JSONParser.parse(Array(#"["\u00e9\ud83d\ude00\/"]"#.utf8))
        #expect(value == ["é😀/"])
    }

    /// Small objects are searched member by member, big ones through a set: both find the
    /// duplicate, wherever it is, and only when asked to.
    @Test(arguments: [3, 15, 16, 17, 40])
    func duplicateKeysAreFoundInObjectsOfAnySize(members: Int) throws {
        let keys = (0..<members).map { "\"k\($0)\":\($0)" }
        let unique = "{" + keys.joined(separator: ",") + "}"
        #expect(try JSONParser.parse(Array(unique.utf8), rejectDuplicateKeys: true).objectValue?.keys.count == members)
        for repeated in [0, members - 1] {
            let text = "{" + (keys + ["\"k\(repeated)\":\"again\""]).joined(separator: ",") + "}"
            #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8), rejectDuplicateKeys: true) }
            #expect(try JSONParser.parse(Array(text.utf8))["k\(repeated)"] == .int(repeated))  // allowed by default; the first wins
        }
        #expect(throws: JSONParser.Failure.self) {
            try JSONParser.parse(Array(#"{"a":{"x":1,"x":2}}"#.utf8), rejectDuplicateKeys: true)
        }
    }

    @Test func objectEqualityIgnoresOrder() throws {
        #expect(try JSONParser.parse(Array(#"{"a":1,"b":2}"#.utf8)) == JSONParser.parse(Array(#"{"b":2,"a":1}"#.utf8)))
        #expect(try JSONParser.parse(Array(#"{"a":1}"#.utf8)) != JSONParser.parse(Array(#"{"a":1,"b":2}"#.utf8)))
    }

    @Test func setReplacesInPlace() {
        var object: JSONObject = ["model": "a", "stream": false, "x": .int(1)]
        object.set("model", "b")
        object.set("new", true)
        #expect(object.keys == ["model", "stream", "x", "new"])
        #expect(object["model"] == "b")
    }

    @Test func integers() {
        #expect(JSON.number("12").intValue == 12)
        #expect(JSON.number("1.2e1").intValue == 12)
        #expect(JSON.number("12.5").intValue == nil)
        #expect(JSON.number("1e400").intValue == nil)
        #expect(JSON.number("99999999999999999999").intValue == nil)
        #expect(JSON.string("12").intValue == nil)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "1e", "+1", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\ud800\"", "\"\\udc00\"", "\"ctrl \u{01}\"", "[1] 2",
        "{\"a\":1,}", "NaN", "Infinity", "'single'",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SplitMix(state: 7)
        let alphabet = Array(#"{}[],:"\0123456789.eE+-truefalsn \u"#.utf8) + [0xFF, 0xC3, 0x80]
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator) ?? 0
            }
            _ = try? JSONParser.parse(bytes)
        }
    }

    @Test func writerCopiesRunsAndEscapesWhatJSONRequires() throws {
        #expect(JSONWriter.string(.string("a\u{01}\"b\\c\n")) == #""a\u0001\"b\\c\n""#)
        var generator = SplitMix(state: 11)
        let pieces = ["a", "plain text ", "\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "é", "😀", "/", "\u{7F}"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let written = JSONWriter.string(.string(text))
            #expect(try JSONParser.parse(Array(written.utf8)) == .string(text))
        }
    }

    @Test func parserTellsASCIIFromInvalidUTF8AfterLongRuns() throws {
        let ascii = [0x22] + Array(repeating: UInt8(ascii: "a"), count: 500) + [0x22]
        #expect(try JSONParser.parse(ascii) == .string(String(repeating: "a", count: 500)))
        let invalid = [0x22] + Array(repeating: UInt8(ascii: "a"), count: 500) + [0xC3, 0x28, 0x22]
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(invalid) }
        let accented = [0x22] + Array(repeating: UInt8(ascii: "a"), count: 500) + Array("é".utf8) + [0x22]
        #expect(try JSONParser.parse(accented) == .string(String(repeating: "a", count: 500) + "é"))
    }
}
