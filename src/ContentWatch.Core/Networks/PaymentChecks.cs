using System.Collections.Frozen;
using System.Numerics;
using System.Security.Cryptography;

namespace ContentWatch.Core.Networks;

/// <summary>
/// Checksums that tell a real wallet address or IBAN from a look-alike string: Base58Check (Bitcoin legacy and
/// script addresses, TRON), Bech32 and Bech32m (Bitcoin SegWit and Taproot), and the IBAN's mod-97 with its
/// country's length.
/// </summary>
public static class PaymentChecks
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const string Bech32Alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /// <summary>A Base58Check string of 25 bytes whose first byte is one of <paramref name="versions"/> and whose checksum holds.</summary>
    public static bool IsBase58Check(string address, params ReadOnlySpan<byte> versions)
    {
        if (address.Length is < 26 or > 35)
        {
            return false;
        }

        BigInteger value = 0;
        foreach (var c in address)
        {
            var digit = Base58Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = value * 58 + digit;
        }

        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var leadingZeros = address.TakeWhile(c => c == '1').Count();
        if (leadingZeros + bytes.Length != 25)
        {
            return false;
        }

        var decoded = new byte[25];
        bytes.CopyTo(decoded, leadingZeros);
        var checksum = SHA256.HashData(SHA256.HashData(decoded.AsSpan(0, 21)));
        return decoded.AsSpan(21, 4).SequenceEqual(checksum.AsSpan(0, 4)) && versions.Contains(decoded[0]);
    }

    /// <summary>A Bitcoin SegWit (Bech32) or Taproot (Bech32m) address with the <c>bc</c> prefix whose checksum holds.</summary>
    public static bool IsBitcoinBech32(string address)
    {
        var lower = address.ToLowerInvariant();
        if (lower.Length is < 14 or > 74 || !lower.StartsWith("bc1", StringComparison.Ordinal) || (lower != address && address.ToUpperInvariant() != address))
        {
            return false;
        }

        var data = new int[lower.Length - 3];
        for (var i = 3; i < lower.Length; i++)
        {
            data[i - 3] = Bech32Alphabet.IndexOf(lower[i], StringComparison.Ordinal);
            if (data[i - 3] < 0)
            {
                return false;
            }
        }

        // hrp "bc" expanded: high bits, 0, low bits
        int[] values = [.. "bc".Select(c => c >> 5), 0, .. "bc".Select(c => c & 31), .. data];
        var polymod = Polymod(values);
        var witnessVersion = data[0];
        return (witnessVersion == 0 && polymod == 1) || (witnessVersion is >= 1 and <= 16 && polymod == 0x2bc830a3);
    }

    private static uint Polymod(int[] values)
    {
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint check = 1;
        foreach (var v in values)
        {
            var top = check >> 25;
            check = ((check & 0x1ffffff) << 5) ^ (uint)v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    check ^= generator[i];
                }
            }
        }

        return check;
    }

    /// <summary>IBAN lengths per country (ISO 13616 registry).</summary>
    private static readonly FrozenDictionary<string, int> IbanLengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22, ["BI"] = 27,
        ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DJ"] = 27, ["DK"] = 18, ["DO"] = 28,
        ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FK"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23,
        ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27,
        ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["LY"] = 25,
        ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MN"] = 20, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18,
        ["NO"] = 15, ["OM"] = 23, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33,
        ["SA"] = 24, ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25, ["SV"] = 28,
        ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20, ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The IBAN in electronic form (upper case, no spaces) when <paramref name="text"/> starts with one whose country
    /// length and mod-97 check hold; characters after the country's length are ignored. Null otherwise.
    /// </summary>
    public static string? Iban(ReadOnlySpan<char> text)
    {
        Span<char> compact = stackalloc char[34];
        var n = 0;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                continue;
            }

            if (n == compact.Length || !char.IsAsciiLetterOrDigit(c))
            {
                break;
            }

            compact[n++] = char.ToUpperInvariant(c);
        }

        if (n < 15 || !IbanLengths.TryGetValue(compact[..2].ToString(), out var length) || n < length)
        {
            return null;
        }

        var iban = compact[..length];
        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = iban[(i + 4) % length];
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }

        return remainder == 1 ? iban.ToString() : null;
    }
}
