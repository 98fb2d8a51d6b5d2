import Foundation
import Testing

@testable import PriceFeeds

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(ImportError) -> JSONNode {
        try JSONParser.parse(Data(text.utf8), file: "t.json")
    }

    @Test func keepsKeyOrderAndNumberText() throws {
        guard case .object(let members) = try parse(#"{"z": 2.5e-06, "a": -0.0, "m": 12345678901234567890}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
        let numbers = members.compactMap { member -> String? in
            if case .number(let text) = member.value { return text }
            return nil
        }
        #expect(numbers == ["2.5e-06", "-0.0", "12345678901234567890"])
    }

    @Test func stringEscapes() throws {
        let node = try parse(#"["a\"b\\c\/d\n\u00e9\ud83d\ude00", "plain ü"]"#)
        guard case .array(let items) = node, case .string(let first) = items[0], case .string(let second) = items[1] else {
            Issue.record("unexpected shape")
            return
        }
        #expect(first == "a\"b\\c/d\né😀")
        #expect(second == "plain ü")
    }

    @Test func literalsAndNesting() throws {
        guard case .array(let items) = try parse(" [true, false, null, {}, [], \"\"] ") else {
            Issue.record("not an array")
            return
        }
        #expect(items.map(\.kindName) == ["a boolean", "a boolean", "null", "an object", "an array", "a string"])
    }

    @Test func malformedInputNamesLineAndColumn() throws {
        let cases: [(String, Int, Int, String)] = [
            ("{\"a\": 1,}", 1, 9, "expected a quoted key, found '}'"),
            ("{\"a\": 01}", 1, 8, "expected ',' or '}' in an object, found '1'"),
            ("[1.]", 1, 4, "expected a digit after '.'"),
            ("{\"a\": tru}", 1, 7, "expected 'true'"),
            ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\""),
            ("[\"tab\there\"]", 1, 6, "control character in a string (escape it)"),
            ("[\"\\x\"]", 1, 4, "invalid escape \\'x'"),
            ("[\"\\ud800\"]", 1, 9, "unpaired UTF-16 surrogate"),
            ("\n\n  [\"open", 3, 4, "unterminated string"),
            ("{} {}", 1, 4, "unexpected text after the JSON value"),
            ("[1,\n 2,\n ", 3, 2, "expected a JSON value, found end of file"),
        ]
        for (text, line, column, reason) in cases {
            let error = try #require(throws: ImportError.self) { try parse(text) }
            #expect(error.location == .text(line: line, column: column), "\(text)")
            #expect(error.reason == reason, "\(text)")
        }
    }

    @Test func deepNestingIsRejectedNotACrash() throws {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = try #require(throws: ImportError.self) { try parse(text) }
        #expect(error.reason == "nested deeper than 256 levels")
    }
}
