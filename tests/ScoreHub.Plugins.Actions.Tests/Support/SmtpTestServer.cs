using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ScoreHub.Plugins.Actions.Tests.Support;

/// <summary>One message as the SMTP server received it.</summary>
public sealed record SmtpMessage(string MailFrom, IReadOnlyList<string> Recipients, string Data, string? AuthUser, string? AuthPassword)
{
    /// <summary>The header block of DATA, unfolded, by name (first occurrence).</summary>
    public IReadOnlyDictionary<string, string> Headers
    {
        get
        {
            var head = Data[..Data.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in head.Split("\r\n"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.TryAdd(line[..colon], line[(colon + 1)..].Trim());
            }

            return headers;
        }
    }

    /// <summary>The subject, with RFC 2047 encoded words decoded.</summary>
    public string Subject => Mime.DecodeWords(Headers["Subject"]);

    /// <summary>
    /// The body, with its Content-Transfer-Encoding (quoted-printable or base64) undone and the line breaks
    /// SmtpClient adds after it trimmed.
    /// </summary>
    public string Body
    {
        get
        {
            var raw = Data[(Data.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
            var encoding = Headers.TryGetValue("Content-Transfer-Encoding", out var value) ? value.ToLowerInvariant() : "7bit";
            return (encoding switch
            {
                "quoted-printable" => Mime.DecodeQuotedPrintable(raw),
                "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(raw.Replace("\r\n", "", StringComparison.Ordinal))),
                _ => raw,
            }).TrimEnd('\r', '\n');
        }
    }
}

/// <summary>
/// A small SMTP server on a free loopback port, speaking just enough of RFC 5321 for SmtpClient: EHLO/HELO,
/// AUTH LOGIN, MAIL FROM, RCPT TO, DATA (with dot-unstuffing), RSET, NOOP, QUIT. It captures every message.
/// A reply for MAIL or RCPT can be replaced to test failures.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<SmtpMessage> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SmtpTestServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public IReadOnlyList<SmtpMessage> Messages => [.. _messages];

    /// <summary>When set, MAIL FROM is answered with this line (e.g. "451 4.3.0 Try again later").</summary>
    public string? MailFromReply { get; set; }

    /// <summary>When set, RCPT TO is answered with this line (e.g. "550 5.1.1 No such user").</summary>
    public string? RcptToReply { get; set; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, new UTF8Encoding(false));
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        string mailFrom = "";
        var recipients = new List<string>();
        string? user = null, password = null;

        await writer.WriteLineAsync("220 smtp.test ESMTP ready");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-smtp.test\r\n250-AUTH LOGIN\r\n250 8BITMIME");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 smtp.test");
                    break;
                case "AUTH":
                    // "AUTH LOGIN <base64 user>" carries the user name as an initial response; "AUTH LOGIN" asks for it.
                    var parts = line.Split(' ');
                    if (parts.Length < 3)
                    {
                        await writer.WriteLineAsync("334 VXNlcm5hbWU6");
                    }

                    user = Encoding.UTF8.GetString(Convert.FromBase64String(parts.Length >= 3 ? parts[2] : (await reader.ReadLineAsync())!));
                    await writer.WriteLineAsync("334 UGFzc3dvcmQ6");
                    password = Encoding.UTF8.GetString(Convert.FromBase64String((await reader.ReadLineAsync())!));
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    break;
                case "MAIL":
                    if (MailFromReply is not null)
                    {
                        await writer.WriteLineAsync(MailFromReply);
                        break;
                    }

                    mailFrom = Address(line);
                    recipients.Clear();
                    await writer.WriteLineAsync("250 2.1.0 OK");
                    break;
                case "RCPT":
                    if (RcptToReply is not null)
                    {
                        await writer.WriteLineAsync(RcptToReply);
                        break;
                    }

                    recipients.Add(Address(line));
                    await writer.WriteLineAsync("250 2.1.5 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith('.') ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    // The CRLF before the final "." belongs to the terminator, not to the message.
                    _messages.Enqueue(new SmtpMessage(mailFrom, [.. recipients], data.ToString()[..^2], user, password));
                    await writer.WriteLineAsync("250 2.0.0 Queued");
                    break;
                case "RSET":
                case "NOOP":
                    await writer.WriteLineAsync("250 2.0.0 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                    break;
            }
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return line[(start + 1)..end];
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}

internal static class Mime
{
    public static string DecodeQuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var unfolded = text.Replace("=\r\n", "", StringComparison.Ordinal);
        for (var i = 0; i < unfolded.Length; i++)
        {
            if (unfolded[i] == '=' && i + 2 < unfolded.Length && Uri.IsHexDigit(unfolded[i + 1]) && Uri.IsHexDigit(unfolded[i + 2]))
            {
                bytes.Add(Convert.ToByte(unfolded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(unfolded[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>Decodes <c>=?utf-8?B?...?=</c> and <c>=?utf-8?Q?...?=</c> words; plain text passes through.</summary>
    public static string DecodeWords(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*", m =>
            m.Groups[2].Value is "B" or "b"
                ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[3].Value))
                : DecodeQuotedPrintable(m.Groups[3].Value.Replace('_', ' ')));
}
