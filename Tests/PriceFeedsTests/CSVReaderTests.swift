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
        #expect(DateParsing.calendarDay("1970-01-01") == Date(timeIntervalSince1970: 0))
        #expect(DateParsing.calendarDay("2024-02-29") == day("2024-02-29"))
        #expect(DateParsing.calendarDay("2000-02-29") == day("2000-02-29"))
        #expect(DateParsing.calendarDay("2100-02-29") == nil)
        #expect(DateParsing.calendarDay("2026-07-24") == day("2026-07-24"))
        #expect(DateParsing.calendarDay("9999-12-31") == day("9999-12-31"))
        // No price predates 1970; year 0000 does not exist.
        #expect(DateParsing.calendarDay("1969-12-31") == nil)
        #expect(DateParsing.calendarDay("0000-01-01") == nil)
        #expect(DateParsing.calendarDay("2025-06-11T00:00:00Z") == nil)
        #expect(DateParsing.calendarDay("2025-6-11") == nil)
        #expect(DateParsing.calendarDay("2025-06-1a") == nil)
    }

    /// Timestamps are strict too: Foundation's parser rolled `T25:00:00Z` over into the next day.
    @Test func timestamps() {
        let midnight = day("2026-01-01")
        #expect(DateParsing.date("2026-01-01") == midnight)
        #expect(DateParsing.date(" 2026-01-01T00:00:00Z ") == midnight)
        #expect(DateParsing.date("2026-01-01T12:34:56Z") == midnight.addingTimeInterval(45_296))
        #expect(DateParsing.date("2026-01-01t12:34:56z") == midnight.addingTimeInterval(45_296))
        #expect(DateParsing.date("2026-01-01T12:34:56.25Z") == midnight.addingTimeInterval(45_296.25))
        #expect(DateParsing.date("2026-01-01T02:00:00+02:00") == midnight)
        #expect(DateParsing.date("2025-12-31T19:30:00-04:30") == midnight)
        for bad in [
            "2026-01-01T25:00:00Z", "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z", "2026-02-30T00:00:00Z",
            "2026-01-01T00:00:00", "2026-01-01T00:00Z", "2026-01-01T00:00:00+0200", "2026-01-01T00:00:00+24:00",
            "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z", "0000-01-01T00:00:00Z",
            "2026-01-01T00:00:00Zjunk", "2026-01-01T0a:00:00Z", "", "2026",
        ] {
            #expect(DateParsing.date(bad) == nil, "\(bad)")
        }
    }
}
