using System.Text.RegularExpressions;
using ContentWatch.Core.Intake;
using PhoneNumbers;

namespace ContentWatch.Core.Networks;

/// <summary>
/// Finds the indicators in a text and normalises them: phones in E.164 (libphonenumber), messenger links and handles
/// (WhatsApp, Telegram, Signal, Viber, IMO), e-mail addresses, URLs and their registered domains, wallet addresses
/// (BTC, ETH, TRON) and IBANs, each checked by its checksum where it has one. Bounded for hostile text: the first
/// <see cref="MaxScanned"/> characters are read, every pattern runs in linear time (no backtracking), and at most
/// <see cref="MaxIndicators"/> indicators are kept. Thread-safe.
/// </summary>
public sealed partial class IndicatorExtractor(string? defaultRegion = null)
{
    public const int MaxIndicators = 50;
    public const int MaxScanned = ReportParser.MaxTextLength;
    private const int ContextWindow = 40;

    /// <summary>'@' signs looked at per text: each costs a look around it, and an advert has a handful.</summary>
    private const int MaxAtSigns = 1_000;
    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    // Unbounded repeats: NonBacktracking runs in time linear in the text whatever the pattern, and counted repeats
    // would blow up its automaton; lengths are checked after the match.
    private static readonly Regex Links = new(
        @"(?:https?://|www\.|viber://)[^\s<>""'`{}|\\^\[\]]+" +
        @"|\b(?:t\.me|telegram\.me|telegram\.dog|wa\.me|chat\.whatsapp\.com|api\.whatsapp\.com|signal\.me|signal\.group|invite\.viber\.com|vb\.me|imo\.im)/[^\s<>""'`{}|\\^\[\]]+",
        Linear);

    private static readonly Regex BareDomains = new(@"\b(?:[a-z0-9][a-z0-9-]*\.)+[a-z][a-z]+(?:/[^\s<>""'`{}|\\^\[\]]*)?", Linear);

    private static readonly Regex Wallets = new(@"\b(?:[13T][1-9A-HJ-NP-Za-km-z]+|bc1[02-9ac-hj-np-z]+|0x[0-9a-f]+)\b", Linear);

    private static readonly Regex Ibans = new(@"\b[A-Z][A-Z][0-9][0-9](?: ?[A-Z0-9])+", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    /// <summary>Top-level domains taken after a bare name without a path ("example.com"): country codes and these.</summary>
    private static readonly HashSet<string> BareTopLevel = ["com", "net", "org", "info", "biz", "online", "site", "xyz", "shop", "top", "club", "store", "app", "pro", "live"];

    /// <summary>Hosts whose links are messenger contacts: kept as handles, not as URLs or domains.</summary>
    private static readonly HashSet<string> MessengerHosts =
        ["t.me", "telegram.me", "telegram.dog", "wa.me", "chat.whatsapp.com", "api.whatsapp.com", "signal.me", "signal.group", "invite.viber.com", "vb.me", "imo.im"];

    /// <summary>Words that say which messenger a phone number or an @handle is for.</summary>
    private static readonly (string Keyword, string Type)[] Messengers =
    [
        ("whatsapp", IndicatorTypes.WhatsApp), ("whats app", IndicatorTypes.WhatsApp), ("watsapp", IndicatorTypes.WhatsApp), ("واتساب", IndicatorTypes.WhatsApp),
        ("واتس", IndicatorTypes.WhatsApp), ("وتساپ", IndicatorTypes.WhatsApp), ("ватсап", IndicatorTypes.WhatsApp), ("вотсап", IndicatorTypes.WhatsApp),
        ("telegram", IndicatorTypes.Telegram), ("tg:", IndicatorTypes.Telegram), ("телеграм", IndicatorTypes.Telegram), ("تلگرام", IndicatorTypes.Telegram),
        ("تلغرام", IndicatorTypes.Telegram), ("تيليجرام", IndicatorTypes.Telegram), ("تليجرام", IndicatorTypes.Telegram), ("تيليغرام", IndicatorTypes.Telegram),
        ("signal", IndicatorTypes.Signal), ("viber", IndicatorTypes.Viber), ("вайбер", IndicatorTypes.Viber), ("فايبر", IndicatorTypes.Viber),
        ("imo:", IndicatorTypes.Imo), ("imo ", IndicatorTypes.Imo),
    ];

    /// <summary>The indicators of an item: its title and text, without repeats, at most <see cref="MaxIndicators"/>.</summary>
    public IReadOnlyList<Indicator> ExtractAll(string? title, string text)
    {
        var found = new List<Indicator>();
        var seen = new HashSet<Indicator>();
        foreach (var match in Extract(text).Concat(string.IsNullOrEmpty(title) ? [] : Extract(title)))
        {
            if (found.Count < MaxIndicators && seen.Add(match.Indicator))
            {
                found.Add(match.Indicator);
            }
        }

        return found;
    }

    /// <summary>Every indicator found in <paramref name="text"/> with where it was, first found first, without repeats.</summary>
    public IReadOnlyList<IndicatorMatch> Extract(string? text)
    {
        var results = new Results();
        if (string.IsNullOrEmpty(text))
        {
            return results.Matches;
        }

        var scanned = text.Length > MaxScanned ? text[..MaxScanned] : text;
        try
        {
            FindLinks(scanned, results);
            FindEmailsAndHandles(scanned, results);
            FindPhones(scanned, results);
            FindWallets(scanned, results);
            FindIbans(scanned, results);
        }
        catch (RegexMatchTimeoutException)
        {
            // not reached with NonBacktracking; kept so a future pattern cannot hang intake
        }

        return results.Matches;
    }

    /// <summary>
    /// The normalised form of an indicator an officer typed (<c>@Name</c>, <c>+44 7700 900 123</c>, <c>DE89 3704 ...</c>),
    /// or null when <paramref name="value"/> is not a <paramref name="type"/>.
    /// </summary>
    public string? Normalize(string type, string value)
    {
        value = value.Trim();
        if (value.Length is 0 or > 2_048)
        {
            return null;
        }

        switch (type)
        {
            case IndicatorTypes.Telegram when Handle(value.TrimStart('@')) is { } handle:
                return handle;
            case IndicatorTypes.Iban:
                return PaymentChecks.Iban(value) is { } iban && iban.Length == value.Count(c => c != ' ') ? iban : null;
            case IndicatorTypes.Domain:
                var host = Uri.TryCreate(value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value, UriKind.Absolute, out var uri) ? uri.IdnHost : null;
                return host is null ? null : RegisteredDomains.Of(host) ?? (RegisteredDomains.IsKnownTopLevel(host.Split('.')[^1]) ? host.ToLowerInvariant() : null);
            case IndicatorTypes.Phone or IndicatorTypes.WhatsApp or IndicatorTypes.Signal or IndicatorTypes.Viber or IndicatorTypes.Imo
                when PhoneCandidates.Find(value) is [var only] && PhoneValue(only.Number) is { } phone:
                return phone;
        }

        return Extract(value).FirstOrDefault(m => m.Type == type)?.Value;
    }

    private sealed class Results
    {
        private readonly HashSet<(string, string)> seen = [];
        private readonly List<(int Start, int End)> covered = [];

        public List<IndicatorMatch> Matches { get; } = [];

        public bool Full => Matches.Count >= MaxIndicators;

        public void Add(string type, string? value, int start, int length)
        {
            if (value is null || value.Length > IndicatorTypes.MaxValueLength || Full || !seen.Add((type, value)))
            {
                return;
            }

            Matches.Add(new IndicatorMatch(type, value, start, length));
        }

        public void Cover(int start, int length) => covered.Add((start, start + length));

        public bool IsCovered(int start, int length) => covered.Exists(c => start < c.End && start + length > c.Start);
    }

    private static void FindLinks(string text, Results results)
    {
        foreach (var match in Links.EnumerateMatches(text))
        {
            var raw = text.AsSpan(match.Index, match.Length).TrimEnd(".,;:!?)»”’'");
            if (raw.Length <= ReportParser.MaxUrlLength)
            {
                AddLink(raw.ToString(), match.Index, results);
            }

            results.Cover(match.Index, match.Length);
            if (results.Full)
            {
                return;
            }
        }

        foreach (var match in BareDomains.EnumerateMatches(text))
        {
            if (results.Full)
            {
                return;
            }

            var before = match.Index > 0 ? text[match.Index - 1] : ' ';
            if (before is '@' or '.' or '/' or '-' || match.Length > ReportParser.MaxUrlLength || results.IsCovered(match.Index, match.Length))
            {
                continue;
            }

            var raw = text.AsSpan(match.Index, match.Length).TrimEnd(".,;:!?)»”’'").ToString();
            var slash = raw.IndexOf('/', StringComparison.Ordinal);
            var host = slash < 0 ? raw : raw[..slash];
            var tld = host[(host.LastIndexOf('.') + 1)..].ToLowerInvariant();
            if (!RegisteredDomains.IsKnownTopLevel(tld) || (slash < 0 && tld.Length != 2 && !BareTopLevel.Contains(tld)))
            {
                continue;
            }

            AddLink("http://" + raw, match.Index, results);
            results.Cover(match.Index, match.Length);
        }
    }

    private static void AddLink(string raw, int start, Results results)
    {
        var link = raw.StartsWith("www.", StringComparison.OrdinalIgnoreCase) || !raw.Contains("://", StringComparison.Ordinal) ? "http://" + raw : raw;
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri))
        {
            return;
        }

        if (uri.Scheme == "viber")
        {
            var number = QueryValue(uri.Query, "number");
            AddMessengerPhone(IndicatorTypes.Viber, number, start, raw.Length, results);
            return;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal) && MessengerHosts.Contains(host[4..]))
        {
            host = host[4..];
        }

        if (MessengerHosts.Contains(host))
        {
            AddMessenger(host, uri, start, raw.Length, results);
            return;
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return;
        }

        var value = DuplicateKeys.UrlKey(uri.AbsoluteUri);
        if (value.Length > IndicatorTypes.MaxValueLength && uri.Query.Length > 0)
        {
            value = DuplicateKeys.UrlKey(uri.GetLeftPart(UriPartial.Path));
        }

        results.Add(IndicatorTypes.Url, value, start, raw.Length);
        results.Add(IndicatorTypes.Domain, RegisteredDomains.Of(host), start, raw.Length);
    }

    private static void AddMessenger(string host, Uri uri, int start, int length, Results results)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var first = segments.Length > 0 ? Uri.UnescapeDataString(segments[0]) : "";
        switch (host)
        {
            case "t.me" or "telegram.me" or "telegram.dog":
                if (first.StartsWith('+') && PhoneValue(first) is not null)
                {
                    AddMessengerPhone(IndicatorTypes.Telegram, first, start, length, results);
                }
                else if (first.StartsWith('+') && first.Length > 1)
                {
                    results.Add(IndicatorTypes.Telegram, "t.me/" + first, start, length);
                }
                else if (first == "joinchat" && segments.Length > 1)
                {
                    results.Add(IndicatorTypes.Telegram, "t.me/+" + segments[1], start, length);
                }
                else
                {
                    results.Add(IndicatorTypes.Telegram, Handle(first == "s" && segments.Length > 1 ? segments[1] : first), start, length);
                }

                break;
            case "wa.me":
                AddMessengerPhone(IndicatorTypes.WhatsApp, first, start, length, results);
                break;
            case "api.whatsapp.com":
                AddMessengerPhone(IndicatorTypes.WhatsApp, QueryValue(uri.Query, "phone"), start, length, results);
                break;
            case "chat.whatsapp.com" when first.Length > 0:
                results.Add(IndicatorTypes.WhatsApp, "chat.whatsapp.com/" + first, start, length);
                break;
            case "signal.me" when uri.Fragment.StartsWith("#p/", StringComparison.Ordinal):
                AddMessengerPhone(IndicatorTypes.Signal, Uri.UnescapeDataString(uri.Fragment[3..]), start, length, results);
                break;
            case "signal.me" or "signal.group" when uri.Fragment.Length > 1:
                results.Add(IndicatorTypes.Signal, host + "/" + uri.Fragment, start, length);
                break;
            case "invite.viber.com" when QueryValue(uri.Query, "g2") is { Length: > 0 } group:
                results.Add(IndicatorTypes.Viber, "invite.viber.com/?g2=" + group, start, length);
                break;
            case "vb.me" when first.Length > 0:
                results.Add(IndicatorTypes.Viber, "vb.me/" + first.ToLowerInvariant(), start, length);
                break;
            case "imo.im" when first.Length > 0:
                results.Add(IndicatorTypes.Imo, "imo.im/" + first.ToLowerInvariant(), start, length);
                break;
        }
    }

    private static void AddMessengerPhone(string type, string? number, int start, int length, Results results)
    {
        if (number is null)
        {
            return;
        }

        var digits = number.Trim().TrimStart('+');
        var phone = PhoneValue("+" + digits);
        results.Add(IndicatorTypes.Phone, phone, start, length);
        results.Add(type, phone, start, length);
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair[..equals].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    /// <summary>A Telegram username: 4 to 32 letters, digits or '_', starting with a letter; lower case.</summary>
    private static string? Handle(string name) =>
        name.Length is >= 4 and <= 32 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name.ToLowerInvariant() : null;

    private static void FindEmailsAndHandles(string text, Results results)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        for (var seen = 0; at >= 0 && !results.Full && seen < MaxAtSigns; seen++)
        {
            var left = at;
            while (left > 0 && at - left < 64 && IsLocalChar(text[left - 1]))
            {
                left--;
            }

            var right = at + 1;
            while (right < text.Length && right - at <= 253 && (char.IsAsciiLetterOrDigit(text[right]) || text[right] is '.' or '-' or '_'))
            {
                right++;
            }

            var next = text.IndexOf('@', right > at + 1 ? right : at + 1);
            if (left < at && !results.IsCovered(left, right - left))
            {
                var domain = text.AsSpan(at + 1, right - at - 1).TrimEnd('.');
                var dot = domain.LastIndexOf('.');
                if (dot > 0 && dot < domain.Length - 2 && RegisteredDomains.IsKnownTopLevel(domain[(dot + 1)..]))
                {
                    var local = text.AsSpan(left, at - left).TrimStart('.');
                    results.Add(IndicatorTypes.Email, $"{local}@{domain}".ToLowerInvariant(), left, at + 1 + domain.Length - left);
                }
            }
            else if (left == at && at + 1 < text.Length && char.IsAsciiLetter(text[at + 1]) && Messenger(text, at) == IndicatorTypes.Telegram)
            {
                var end = at + 1;
                while (end < text.Length && end - at <= 33 && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
                {
                    end++;
                }

                results.Add(IndicatorTypes.Telegram, Handle(text[(at + 1)..end]), at, end - at);
            }

            at = next;
        }
    }

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private void FindPhones(string text, Results results)
    {
        foreach (var candidate in PhoneCandidates.Find(text))
        {
            if (results.Full)
            {
                return;
            }

            if (results.IsCovered(candidate.Start, candidate.Length))
            {
                continue;
            }

            var phone = PhoneValue(candidate.Number, defaultRegion);
            if (phone is null)
            {
                continue;
            }

            results.Add(IndicatorTypes.Phone, phone, candidate.Start, candidate.Length);
            if (Messenger(text, candidate.Start) is { } messenger)
            {
                results.Add(messenger, phone, candidate.Start, candidate.Length);
            }
        }
    }

    /// <summary>
    /// E.164 for a number with '+': any number of a possible length for its country (the Ofcom drama range
    /// +44 7700 900xxx included). A number without '+' only with a default region, and only when valid there.
    /// </summary>
    private static string? PhoneValue(string number, string? region = null)
    {
        var international = number.StartsWith('+');
        if (!international && string.IsNullOrEmpty(region))
        {
            return null;
        }

        try
        {
            var parsed = Phones.Parse(number, international ? "ZZ" : region);
            var ok = international ? Phones.IsPossibleNumber(parsed) : Phones.IsValidNumber(parsed);
            return ok ? Phones.Format(parsed, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The messenger named nearest before <paramref name="at"/>, within <see cref="ContextWindow"/> characters.</summary>
    private static string? Messenger(string text, int at)
    {
        var from = Math.Max(0, at - ContextWindow);
        var window = text.AsSpan(from, at - from);
        string? type = null;
        var best = -1;
        foreach (var (keyword, messenger) in Messengers)
        {
            var index = window.LastIndexOf(keyword, StringComparison.OrdinalIgnoreCase);
            if (index > best)
            {
                (best, type) = (index, messenger);
            }
        }

        return type;
    }

    private static void FindWallets(string text, Results results)
    {
        foreach (var match in Wallets.EnumerateMatches(text))
        {
            if (match.Length is < 26 or > 74)
            {
                continue;
            }

            var address = text.Substring(match.Index, match.Length);
            var value = address switch
            {
                ['0', 'x' or 'X', ..] => address.Length == 42 ? address.ToLowerInvariant() : null,
                ['b' or 'B', 'c' or 'C', '1', ..] => PaymentChecks.IsBitcoinBech32(address) ? address.ToLowerInvariant() : null,
                ['T', ..] => PaymentChecks.IsBase58Check(address, 0x41) ? address : null,
                _ => PaymentChecks.IsBase58Check(address, 0x00, 0x05) ? address : null,
            };
            results.Add(IndicatorTypes.Wallet, value, match.Index, match.Length);
        }
    }

    private static void FindIbans(string text, Results results)
    {
        foreach (var match in Ibans.EnumerateMatches(text))
        {
            var iban = PaymentChecks.Iban(text.AsSpan(match.Index, Math.Min(match.Length, 42)));
            results.Add(IndicatorTypes.Iban, iban, match.Index, match.Length);
        }
    }
}
