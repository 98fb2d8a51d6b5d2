/// Exact conversions between decimal text and scaled integers, so no price or cost ever
/// passes through a binary floating-point value.
public enum ExactDecimal {
    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` into an integer scaled by `10^scale`,
    /// rounding digits beyond the scale half-even. Returns nil for anything else, or on overflow.
    ///
    /// ```swift
    /// ExactDecimal.parse("2.5e-6", scale: 15)   // 2_500_000_000
    /// ```
    public static func parse(_ text: some StringProtocol, scale: Int) -> Int128? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 { bytes.removeLast() }
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        guard index < bytes.count else { return nil }

        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var sawPoint = false
        var sawDigit = false
        // Thousands separators are taken in integer parts only, and only where they group by
        // three (`1,000`, `12_500_000`): `0,05` or `0,000001` is a decimal comma, whose value
        // read as thousands would be wrong by orders of magnitude.
        var sawSeparator = false
        var groupDigits = 0
        var groupsAreValid: Bool { !sawSeparator || groupDigits == 3 }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits.append(byte - 0x30)
                if sawPoint { fractionDigits += 1 } else { groupDigits += 1 }
                sawDigit = true
            } else if byte == UInt8(ascii: "."), !sawPoint {
                guard groupsAreValid else { return nil }
                sawPoint = true
            } else if byte == UInt8(ascii: "_") || byte == UInt8(ascii: ",") {
                let firstGroupIsValid = (1...3).contains(groupDigits) && digits.first != 0
                guard !sawPoint, sawSeparator ? groupDigits == 3 : firstGroupIsValid else { return nil }
                sawSeparator = true
                groupDigits = 0
            } else {
                break
            }
            index += 1
        }
        guard sawDigit, sawPoint || groupsAreValid else { return nil }
        var exponent = 0
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var sawExponentDigit = false
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                exponent = exponent * 10 + Int(bytes[index] - 0x30)
                guard exponent < 400 else { return nil }
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit, index == bytes.count else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        // value = digits × 10^(exponent − fractionDigits); we want value × 10^scale.
        let shift = exponent - fractionDigits + scale
        var result: Int128 = 0
        if shift >= 0 {
            for digit in digits {
                let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int128(digit))
                guard !overflow1, !overflow2 else { return nil }
                result = sum
            }
            for _ in 0..<shift {
                let (times10, overflow) = result.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                result = times10
            }
        } else {
            let kept = digits.count + shift
            if kept > 0 {
                for digit in digits[0..<kept] {
                    let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = times10.addingReportingOverflow(Int128(digit))
                    guard !overflow1, !overflow2 else { return nil }
                    result = sum
                }
            }
            let dropped = kept >= 0 ? Array(digits[max(kept, 0)...]) : Array(repeating: 0, count: -kept) + digits
            if let first = dropped.first {
                let restNonZero = dropped.dropFirst().contains { $0 != 0 }
                let roundUp = first > 5 || (first == 5 && (restNonZero || result % 2 == 1))
                if roundUp { result += 1 }
            }
        }
        return negative ? -result : result
    }

    /// Formats a scaled integer as a decimal string: `format(2_500, scale: 3)` is `"2.5"`.
    public static func format(_ value: Int128, scale: Int, keepPlaces: Bool = false) -> String {
        let negative = value < 0
        var magnitude = value.magnitude
        var digits: [UInt8] = []
        digits.reserveCapacity(40)
        // A 128-bit division per digit is slow: switch to 64-bit words once the value fits
        // (every price and cost does; headers and the decision log format several per request).
        while magnitude > UInt128(UInt64.max) {
            digits.append(UInt8(magnitude % 10) + 0x30)
            magnitude /= 10
        }
        var word = UInt64(magnitude)
        repeat {
            digits.append(UInt8(word % 10) + 0x30)
            word /= 10
        } while word > 0
        while digits.count <= scale { digits.append(0x30) }
        digits.reverse()
        let integerPart = digits[0..<(digits.count - scale)]
        var fractionPart = Array(digits[(digits.count - scale)...])
        if !keepPlaces {
            while let last = fractionPart.last, last == 0x30 { fractionPart.removeLast() }
        }
        var text = negative ? "-" : ""
        text += String(decoding: integerPart, as: UTF8.self)
        if !fractionPart.isEmpty { text += "." + String(decoding: fractionPart, as: UTF8.self) }
        return text
    }

    /// `value / divisor` rounded half to even; `divisor` must be positive.
    public static func divideRoundingHalfEven(_ value: Int128, by divisor: Int128) -> Int128 {
        precondition(divisor > 0)
        var quotient = value / divisor
        let remainder = value % divisor
        let twice = remainder.magnitude * 2
        if twice > divisor.magnitude || (twice == divisor.magnitude && quotient % 2 != 0) {
            quotient += value < 0 ? -1 : 1
        }
        return quotient
    }
}
