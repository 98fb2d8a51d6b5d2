import struct Foundation.Data

/// One CSV record and the line it starts on (1-based), for error messages.
struct CSVRecord: Sendable, Hashable {
    var line: Int
    var fields: [String]
}

/// A strict RFC 4180 reader: comma-separated fields, optionally in double quotes, where a
/// quoted field may hold commas, line breaks and doubled quotes (`""`). Lines end in `\n`,
/// `\r\n` or `\r`. Blank lines are ignored; a leading UTF-8 byte-order mark is dropped.
///
/// Anything else (a quote inside an unquoted field, text after a closing quote, a quote
/// never closed, invalid UTF-8) is an ``ImportError`` naming the line.
struct CSVReader {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 1

    private init(_ data: Data, file: String) {
        self.bytes = [UInt8](data)
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    static func records(_ data: Data, file: String) throws(ImportError) -> [CSVRecord] {
        var reader = CSVReader(data, file: file)
        var records: [CSVRecord] = []
        while reader.index < reader.bytes.count {
            let record = try reader.record()
            if record.fields != [""] { records.append(record) }
        }
        return records
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    private func error(_ reason: String, line: Int? = nil) -> ImportError {
        ImportError(file: file, location: .csv(line: line ?? self.line, column: nil), reason: reason)
    }

    /// Reads up to and including the record's line break.
    private mutating func record() throws(ImportError) -> CSVRecord {
        let startLine = line
        var fields: [String] = []
        while true {
            fields.append(try field())
            guard index < bytes.count else { break }
            let byte = bytes[index]
            index += 1
            if byte == Self.comma { continue }
            // A line break ends the record.
            if byte == Self.carriageReturn, index < bytes.count, bytes[index] == Self.newline { index += 1 }
            line += 1
            break
        }
        return CSVRecord(line: startLine, fields: fields)
    }

    /// Reads one field, stopping before the comma or line break that ends it.
    private mutating func field() throws(ImportError) -> String {
        var utf8: [UInt8] = []
        if index < bytes.count, bytes[index] == Self.quote {
            let openingLine = line
            index += 1
            while true {
                guard index < bytes.count else { throw error("quoted field never closed", line: openingLine) }
                let byte = bytes[index]
                index += 1
                if byte == Self.quote {
                    if index < bytes.count, bytes[index] == Self.quote {
                        utf8.append(Self.quote)
                        index += 1
                        continue
                    }
                    break
                }
                if byte == Self.newline || (byte == Self.carriageReturn && bytes[safe: index] != Self.newline) {
                    line += 1
                }
                utf8.append(byte)
            }
            if index < bytes.count, !Self.endsField(bytes[index]) {
                throw error("text after a closing quote (a quote inside a field must be doubled)")
            }
        } else {
            while index < bytes.count, !Self.endsField(bytes[index]) {
                guard bytes[index] != Self.quote else {
                    throw error("quote inside an unquoted field (quote the whole field and double the quote)")
                }
                utf8.append(bytes[index])
                index += 1
            }
        }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw error("not valid UTF-8") }
        return text
    }

    private static func endsField(_ byte: UInt8) -> Bool {
        byte == comma || byte == newline || byte == carriageReturn
    }
}

extension Array where Element == UInt8 {
    fileprivate subscript(safe index: Int) -> UInt8? { index < count ? self[index] : nil }
}
