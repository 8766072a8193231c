using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ContentWatch.Core.Outbound;

/// <summary>An answer as read: the status, at most <see cref="OutboundOptions.MaxResponseBytes"/> of the body, and where it came from.</summary>
public sealed record OutboundResponse(int StatusCode, byte[] Body, bool Truncated, Uri FinalUrl, TimeSpan Elapsed)
{
    public bool IsSuccess => StatusCode is >= 200 and <= 299;
}

/// <summary>A request the outbound rules refused before or while connecting; nothing was sent to the target.</summary>
public sealed class OutboundRefusedException(string message) : Exception(message);

/// <summary>
/// Sends requests under <see cref="OutboundOptions"/>: http(s) only; every address is checked after DNS resolution and the
/// connection goes to the checked address (so a name that re-resolves to a private address is refused: no DNS rebinding);
/// no proxy, no cookies; redirects followed by hand, at most three, each checked again; one time limit over the whole
/// exchange; at most <see cref="OutboundOptions.MaxResponseBytes"/> of the answer read.
/// </summary>
public sealed class OutboundHttp : IDisposable
{
    private readonly OutboundOptions _options;
    private readonly OutboundAddressPolicy _policy;
    private readonly HttpClient _http;

    public OutboundHttp(IOptions<OutboundOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _policy = new OutboundAddressPolicy(_options);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(_options.TimeoutSeconds),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 64,
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public OutboundAddressPolicy Policy => _policy;

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="url"/>. <paramref name="content"/> makes the body afresh for each
    /// hop. A redirect is followed for GET and HEAD, and for 307/308 with any method; any other 3xx is returned as it is.
    /// Throws <see cref="OutboundRefusedException"/>, <see cref="TimeoutException"/> or <see cref="HttpRequestException"/>.
    /// </summary>
    public async Task<OutboundResponse> SendAsync(
        HttpMethod method, Uri url, Func<HttpContent>? content, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(url);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        var started = Stopwatch.GetTimestamp();
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            CheckUrl(current);
            using var request = new HttpRequestMessage(method, current) { Content = content?.Invoke() };
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location
                    && (method == HttpMethod.Get || method == HttpMethod.Head || status is 307 or 308))
                {
                    if (redirects == OutboundOptions.MaxRedirects)
                    {
                        throw new OutboundRefusedException($"more than {OutboundOptions.MaxRedirects} redirects");
                    }

                    current = new Uri(current, location);
                    continue;
                }

                var (body, truncated) = await ReadAsync(response, _options.MaxResponseBytes, limit.Token).ConfigureAwait(false);
                return new OutboundResponse(status, body, truncated, current, Stopwatch.GetElapsedTime(started));
            }
            catch (HttpRequestException e) when (Refusal(e) is { } refused)
            {
                throw refused;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no complete answer within {_options.TimeoutSeconds} s");
            }
        }
    }

    /// <summary>http or https with a host and no user name or password in it.</summary>
    public static bool IsAllowedUrl(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(url.Host)
        && string.IsNullOrEmpty(url.UserInfo);

    private static void CheckUrl(Uri url)
    {
        if (!IsAllowedUrl(url))
        {
            throw new OutboundRefusedException("only http and https URLs without credentials are fetched");
        }
    }

    private static OutboundRefusedException? Refusal(Exception e) =>
        e as OutboundRefusedException ?? (e.InnerException is { } inner ? Refusal(inner) : null);

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(_policy.IsAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new OutboundRefusedException($"{host} is not a public address (set {OutboundOptions.Section}:AllowPrivateNetworks or AllowedNetworks to allow it)");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<(byte[] Body, bool Truncated)> ReadAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[Math.Min(max + 1, 81_920)];
        using var body = new MemoryStream();
        while (body.Length <= max)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, max + 1 - body.Length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (body.ToArray(), false);
            }

            body.Write(buffer, 0, read);
        }

        return (body.ToArray().AsSpan(0, max).ToArray(), true);
    }

    public void Dispose() => _http.Dispose();
}
