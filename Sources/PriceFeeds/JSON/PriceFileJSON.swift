import ExactJSON
import struct Foundation.Data

/// Price files read strictly: numbers kept as text (money never passes through a `Double`),
/// keys in file order, duplicate keys rejected (two entries for one model are ambiguous),
/// and a malformed file reported with its line and column.
enum PriceFileJSON {
    static func parse(_ data: Data, file: String) throws(ImportError) -> JSON {
        let bytes = [UInt8](data)
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        guard body.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw ImportError(file: file, location: .file, reason: "empty file")
        }
        do {
            return try JSONParser.parse(bytes, rejectDuplicateKeys: true)
        } catch {
            let (line, column) = error.lineAndColumn(in: bytes)
            throw ImportError(file: file, location: .text(line: line, column: column), reason: error.reason)
        }
    }
}
