using System.Security.Cryptography;
using System.Text;
using ScoreHub.Plugins.SendGrid;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Email.Tests.SendGrid;

/// <summary>
/// Payloads in the shape SendGrid's Event Webhook reference documents, and a key pair of our own standing in for
/// the one SendGrid generates when the Signed Event Webhook is enabled.
/// </summary>
internal sealed class SendGridFixtures : IDisposable
{
    public const string Timestamp = "1772442000";

    /// <summary>One of each event kind SendGrid posts, as one batch (2026-03-01 10:00 UTC onwards).</summary>
    public const string Batch = """
        [
          {"email":"ada@example.com","timestamp":1772359200,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"processed","category":["nurture","week-1"],"sg_event_id":"sg-processed-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},
          {"email":"ada@example.com","timestamp":1772359205,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"delivered","category":["nurture","week-1"],"sg_event_id":"sg-delivered-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","response":"250 OK"},
          {"email":"ada@example.com","timestamp":1772359260,"event":"open","sg_machine_open":false,"category":["nurture","week-1"],"sg_event_id":"sg-open-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","useragent":"Mozilla/4.0 (compatible; MSIE 6.1; Windows XP)","ip":"255.255.255.255","marketing_campaign_id":12345,"marketing_campaign_name":"Spring nurture"},
          {"email":"ada@example.com","timestamp":1772359320,"event":"click","category":"nurture","sg_event_id":"sg-click-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","useragent":"Mozilla/4.0","ip":"255.255.255.255","url":"https://example.com/pricing","url_offset":{"index":0,"type":"html"},"singlesend_name":"March newsletter"},
          {"email":"bob@example.com","timestamp":1772359380,"event":"bounce","category":"nurture","sg_event_id":"sg-bounce-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0002.16648.5515E0B88.0","reason":"500 unknown recipient","status":"5.0.0","type":"bounce"},
          {"email":"bob@example.com","timestamp":1772359390,"event":"dropped","sg_event_id":"sg-dropped-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0002.16648.5515E0B88.0","reason":"Bounced Address","status":"5.0.0"},
          {"email":"bob@example.com","timestamp":1772359395,"event":"deferred","sg_event_id":"sg-deferred-1","response":"400 try again later","attempt":"5"},
          {"email":"carl@example.com","timestamp":1772359400,"event":"spamreport","sg_event_id":"sg-spam-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0003.16648.5515E0B88.0"},
          {"email":"dana@example.com","timestamp":1772359410,"event":"unsubscribe","sg_event_id":"sg-unsub-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0004.16648.5515E0B88.0"},
          {"email":"erin@example.com","timestamp":1772359420,"event":"group_unsubscribe","sg_event_id":"sg-gunsub-1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0005.16648.5515E0B88.0","asm_group_id":42,"url":"https://sendgrid.com/unsubscribe"},
          {"email":"erin@example.com","timestamp":1772359430,"event":"group_resubscribe","sg_event_id":"sg-gresub-1","asm_group_id":42}
        ]
        """;

    /// <summary>An open fetched by Apple Mail Privacy Protection's proxy.</summary>
    public const string MachineOpen = """
        [{"email":"ada@example.com","timestamp":1772359500,"event":"open","sg_machine_open":true,"sg_event_id":"sg-machine-open-1","sg_message_id":"msg-1","useragent":"Mozilla/5.0","ip":"17.58.0.1","marketing_campaign_name":"Spring nurture"}]
        """;

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The verification key as SendGrid shows it: base64 DER SubjectPublicKeyInfo.</summary>
    public string PublicKey => Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo());

    public string Settings(bool? scoreMachineOpens = null) => scoreMachineOpens is null
        ? $$"""{"publicKey":"{{PublicKey}}"}"""
        : $$"""{"publicKey":"{{PublicKey}}","scoreMachineOpens":{{(scoreMachineOpens.Value ? "true" : "false")}}}""";

    public SourceRequest Signed(string body, string timestamp = Timestamp) =>
        Request(body, timestamp, Sign(Key, timestamp, body));

    public static SourceRequest Request(string body, string timestamp, string signature) => Sources.Post(body, new Dictionary<string, string>
    {
        [SendGridOptions.SignatureHeader] = signature,
        [SendGridOptions.TimestampHeader] = timestamp,
    });

    public static string Sign(ECDsa key, string timestamp, string body) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => Key.Dispose();
}
