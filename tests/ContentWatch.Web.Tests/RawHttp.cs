using System.Net.Sockets;
using System.Text;

namespace ContentWatch.Web.Tests;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests no well-behaved client sends: raw invalid UTF-8, broken chunking, bodies
/// shorter than their Content-Length, a forged Host.
/// </summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, string Head, string Body)
    {
        public string? Header(string name) =>
            Head.Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(p => p[1].Trim()).FirstOrDefault();
    }

    /// <summary>A request with <c>Content-Length</c> (when there is a body) and <c>Connection: close</c>.</summary>
    public static byte[] Request(string method, string target, string? key, string? contentType, byte[]? body, string host = "127.0.0.1", string extraHeaders = "")
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        if (key is not null)
        {
            head.Append($"Authorization: Bearer {key}\r\n");
        }

        if (contentType is not null)
        {
            head.Append($"Content-Type: {contentType}\r\n");
        }

        if (body is not null)
        {
            head.Append($"Content-Length: {body.Length}\r\n");
        }
        else if (method == "POST")
        {
            head.Append("Content-Length: 0\r\n");
        }

        head.Append(extraHeaders).Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>Sends <paramref name="bytes"/>, optionally closes the sending side (the body ends early), and reads the answer until the server closes.</summary>
    public static async Task<Answer> SendAsync(Uri server, byte[] bytes, bool halfClose = false, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cts.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(bytes, cts.Token);
        if (halfClose)
        {
            tcp.Client.Shutdown(SocketShutdown.Send);
        }

        return await ReadAnswerAsync(stream, cts.Token);
    }

    public static async Task<Answer> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException)
        {
            // a reset: after the answer was sent, or instead of one (status 0)
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var parts = head.Split(' ', 3);
        var status = parts.Length >= 2 && int.TryParse(parts[1], out var s) ? s : 0;
        var answer = new Answer(status, head, body);
        return answer.Header("Transfer-Encoding") == "chunked" ? answer with { Body = Dechunk(body) } : answer;
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (at < body.Length)
        {
            var end = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (end < 0 || !int.TryParse(body[at..end], System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
            {
                break;
            }

            // sizes count bytes; the answers read here are ASCII or nearly so, and a cut is only a test failure message
            var start = end + 2;
            var bytes = Encoding.UTF8.GetBytes(body[start..]);
            var piece = Encoding.UTF8.GetString(bytes, 0, Math.Min(size, bytes.Length));
            result.Append(piece);
            at = start + piece.Length + 2;
        }

        return result.ToString();
    }
}
