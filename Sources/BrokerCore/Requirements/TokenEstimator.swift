/// A fast prompt-size estimate, used for pricing and the context check before the
/// provider reports real usage.
///
/// One token per four ASCII bytes and one per non-ASCII scalar. For English prose and code
/// the BPE tokenizers of OpenAI, Anthropic and Google average 3.5–4.5 bytes per token, so
/// the estimate is within about ±15% there; for Chinese and Japanese text, where a
/// character is roughly one token, within about ±30%, and it overestimates accented
/// Latin text. `docs/pricing.md` states the same bounds. Images count a fixed 765 tokens
/// (OpenAI's cost of a 1024×1024 image at high detail), since their size is not parsed.
public enum TokenEstimator {
    public static let tokensPerImage = 765
    /// Role markers and separators each message adds in every chat template.
    public static let tokensPerMessage = 4

    public static func tokens(in text: String) -> Int {
        var ascii = 0
        var other = 0
        var text = text
        // Over the contiguous bytes: every request's prompt passes through here.
        text.withUTF8 { bytes in
            for byte in bytes {
                if byte < 0x80 {
                    ascii += 1
                } else if byte & 0xC0 != 0x80 {
                    other += 1  // a leading byte: one scalar
                }
            }
        }
        return (ascii + 3) / 4 + other
    }
}
