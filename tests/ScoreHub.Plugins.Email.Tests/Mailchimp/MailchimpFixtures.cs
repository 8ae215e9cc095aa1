namespace ScoreHub.Plugins.Email.Tests.Mailchimp;

/// <summary>Form-encoded bodies in the shape Mailchimp's audience webhook guide documents.</summary>
internal static class MailchimpFixtures
{
    public const string Secret = "mc-webhook-secret-0123";
    public const string Settings = $$"""{"secret":"{{Secret}}"}""";

    public static readonly Dictionary<string, string> Query = new() { ["key"] = "shk_ingest_x", ["secret"] = Secret };

    public const string Subscribe =
        "type=subscribe&fired_at=2026-03-01+10%3A00%3A00&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054" +
        "&data%5Bemail%5D=ada%40example.com&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BEMAIL%5D=ada%40example.com" +
        "&data%5Bmerges%5D%5BFNAME%5D=Ada&data%5Bmerges%5D%5BLNAME%5D=Lovelace&data%5Bmerges%5D%5BCOMPANY%5D=Analytical+Engines" +
        "&data%5Bmerges%5D%5BPHONE%5D=&data%5Bmerges%5D%5BADDRESS%5D%5Baddr1%5D=1+Main+St&data%5Bmerges%5D%5BADDRESS%5D%5Bcity%5D=Rotterdam" +
        "&data%5Bmerges%5D%5BADDRESS%5D%5Bcountry%5D=NL&data%5Bmerges%5D%5BPLAN%5D=trial" +
        "&data%5Bmerges%5D%5BINTERESTS%5D=Group1%2CGroup2&data%5Bip_opt%5D=10.20.10.30&data%5Bip_signup%5D=10.20.10.30";

    /// <summary>The same fields as <see cref="Subscribe"/>, readable, for tests that build variants.</summary>
    public const string SubscribeReadable =
        "type=subscribe&fired_at=2026-03-01 10:00:00&data[id]=8a25ff1d98&data[list_id]=a6b5da1054&data[email]=ada@example.com";

    public const string Unsubscribe =
        "type=unsubscribe&fired_at=2026-03-01 11:00:00&data[action]=unsub&data[reason]=manual&data[id]=8a25ff1d98" +
        "&data[list_id]=a6b5da1054&data[email]=dana@example.com&data[email_type]=html&data[merges][EMAIL]=dana@example.com" +
        "&data[merges][FNAME]=Dana&data[merges][LNAME]=Scully&data[ip_opt]=10.20.10.30&data[campaign_id]=cb398d21d2";

    public const string Profile =
        "type=profile&fired_at=2026-03-01 12:00:00&data[id]=8a25ff1d98&data[list_id]=a6b5da1054&data[email]=ada@example.com" +
        "&data[email_type]=html&data[merges][EMAIL]=ada@example.com&data[merges][FNAME]=Ada&data[merges][LNAME]=King" +
        "&data[merges][JOBTITLE]=CTO&data[ip_opt]=10.20.10.30";

    public const string UpEmail =
        "type=upemail&fired_at=2026-03-01 13:00:00&data[list_id]=a6b5da1054&data[new_id]=51aa6d2c84" +
        "&data[new_email]=ada.king@example.com&data[old_email]=ada@example.com";

    public const string Cleaned =
        "type=cleaned&fired_at=2026-03-01 14:00:00&data[list_id]=a6b5da1054&data[campaign_id]=4fjk2ma9xd&data[reason]=hard&data[email]=bob@example.com";

    public const string Campaign =
        "type=campaign&fired_at=2026-03-01 15:00:00&data[id]=5aa2102003&data[subject]=Test+Campaign+Subject&data[status]=sent&data[reason]=&data[list_id]=a6b5da1054";
}
