using System.Security.Cryptography;
using System.Text;

namespace ContentWatch.Core.Delivery;

/// <summary>
/// Standard Webhooks signing: the secret is <c>whsec_</c> + base64 of 24 to 64 random bytes; the signature is
/// <c>v1,</c> + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), several separated by spaces.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>Reads a secret in Standard Webhooks form; false when it is not one.</summary>
    public static bool TryParseSecret(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var buffer = new byte[secret.Length];
        if (!Convert.TryFromBase64String(secret[SecretPrefix.Length..], buffer, out var length) || length is < 24 or > 64)
        {
            return false;
        }

        key = buffer[..length];
        return true;
    }

    /// <summary>One <c>v1,</c> signature of the message.</summary>
    public static string Sign(string messageId, long timestamp, string body, byte[] key)
    {
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>The three headers, signed with every key given (the current secret first).</summary>
    public static IReadOnlyDictionary<string, string> Headers(string messageId, DateTimeOffset at, string body, IEnumerable<byte[]> keys)
    {
        var timestamp = at.ToUnixTimeSeconds();
        return new Dictionary<string, string>
        {
            [IdHeader] = messageId,
            [TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SignatureHeader] = string.Join(' ', keys.Select(k => Sign(messageId, timestamp, body, k))),
        };
    }
}
