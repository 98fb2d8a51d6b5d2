import Foundation
import Testing

@testable import PriceFeeds

@Suite struct CSVReaderTests {
    func read(_ text: String) throws(ImportError) -> [CSVRecord] {
        try CSVReader.records(Data(text.utf8), file: "t.csv")
    }

    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let records = try read("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nlast,\"\",end")
        #expect(records == [
            CSVRecord(line: 1, fields: ["a", "b,c", #"say "hi""#]),
            CSVRecord(line: 2, fields: ["two\nlines", "", "x"]),
            CSVRecord(line: 4, fields: ["last", "", "end"]),
        ])
    }

    @Test func lineEndingsAndBlankLines() throws {
        let records = try read("\u{FEFF}h1,h2\r\n\r\na,b\rc,d\n\n")
        #expect(records.map(\.fields) == [["h1", "h2"], ["a", "b"], ["c", "d"]])
        #expect(records.map(\.line) == [1, 3, 4])
    }

    @Test func trailingCommaIsAnEmptyField() throws {
        #expect(try read("a,b,\n").first?.fields == ["a", "b", ""])
    }

    @Test func malformedQuoting() throws {
        let cases: [(String, Int)] = [
            ("a,b\nc,\"never closed\nmore", 2),
            ("a,b\nc,\"closed\"early\n", 2),
            ("a,b\n\nc,d\"e\n", 3),
        ]
        for (text, line) in cases {
            let error = try #require(throws: ImportError.self) { try read(text) }
            #expect(error.location == .csv(line: line, column: nil), "\(text)")
        }
    }

    @Test func invalidUTF8() throws {
        let error = try #require(throws: ImportError.self) {
            try CSVReader.records(Data([0x61, 0x2C, 0xFF, 0x0A]), file: "t.csv")
        }
        #expect(error.location == .csv(line: 1, column: nil))
    }

    @Test func calendarDays() {
        #expect(UTCDay.parse("1970-01-01") == Date(timeIntervalSince1970: 0))
        #expect(UTCDay.parse("2024-02-29") == day("2024-02-29"))
        #expect(UTCDay.parse("2000-02-29") == day("2000-02-29"))
        #expect(UTCDay.parse("2100-02-29") == nil)
        #expect(UTCDay.parse("2026-07-24") == day("2026-07-24"))
        #expect(UTCDay.parse("1969-12-31") == Date(timeIntervalSince1970: -86_400))
        #expect(UTCDay.parse("2025-06-11T00:00") == nil)
    }
}
