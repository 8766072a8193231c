using System.Security.Cryptography;
using System.Text;

namespace ContentWatch.Core.Intake;

/// <summary>The keys that make two reports the same item: the same platform and URL, or the same normalised text on the platform.</summary>
public static class DuplicateKeys
{
    /// <summary>Scheme and host lower-cased, default port and fragment dropped, a trailing slash on the path dropped.</summary>
    public static string UrlKey(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        var path = uri.AbsolutePath.Length > 1 ? uri.AbsolutePath.TrimEnd('/') : "";
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{uri.Scheme}://{uri.Host.ToLowerInvariant()}{port}{path}{uri.Query}";
    }

    /// <summary>SHA-256 (hex) of the text after NFKC, case folding and collapsing whitespace.</summary>
    public static string TextKey(string text)
    {
        var normalised = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(normalised.Length);
        var space = false;
        foreach (var c in normalised)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return Sha256Hex(builder.ToString());
    }

    /// <summary>SHA-256 of the exact stored text (UTF-8), as carried in exports as evidence.</summary>
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
