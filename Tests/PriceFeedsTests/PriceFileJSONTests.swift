import ExactJSON
import Foundation
import Testing

@testable import PriceFeeds

/// Price files through the shared exact JSON parser, with the price files' stricter rules.
@Suite struct PriceFileJSONTests {
    func parse(_ text: String) throws(ImportError) -> JSON {
        try PriceFileJSON.parse(Data(text.utf8), file: "t.json")
    }

    @Test func keepsKeyOrderAndNumberText() throws {
        let object = try #require(try parse(#"{"z": 2.5e-06, "a": -0.0, "m": 12345678901234567890}"#).objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object.members.map(\.value) == [.number("2.5e-06"), .number("-0.0"), .number("12345678901234567890")])
    }

    @Test func literalsAndKinds() throws {
        let items = try #require(try parse(" [true, false, null, {}, [], \"\"] ").arrayValue)
        #expect(items.map(\.kindName) == ["a boolean", "a boolean", "null", "an object", "an array", "a string"])
    }

    @Test func duplicateKeysAreRejectedWithTheirPlace() throws {
        let error = try #require(throws: ImportError.self) { try parse("{\"a\": 1,\n \"a\": 2}") }
        #expect(error.location == .text(line: 2, column: 2))
        #expect(error.reason == "duplicate key \"a\"")
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1), ("{\"a\": 01}", 1), ("[1.]", 1), ("{\"a\": tru}", 1), ("[\"tab\there\"]", 1),
        ("[\"\\x\"]", 1), ("\n\n  [\"open", 3), ("{} {}", 1), ("[1,\n 2,\n ", 3),
    ])
    func malformedInputNamesTheLine(text: String, line: Int) throws {
        let error = try #require(throws: ImportError.self) { try parse(text) }
        guard case .text(let errorLine, let column) = error.location else {
            Issue.record("no line and column for \(text)")
            return
        }
        #expect(errorLine == line, "\(text)")
        #expect(column >= 1)
        #expect(!error.reason.isEmpty)
    }

    @Test func emptyFilesAndDeepNestingAreErrorsNotCrashes() throws {
        #expect(throws: ImportError.self) { try parse("  \n") }
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = try #require(throws: ImportError.self) { try parse(text) }
        #expect(error.reason.contains("nested deeper"))
    }
}
