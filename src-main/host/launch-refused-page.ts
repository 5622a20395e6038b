/**
 * What a window gets for a launch link that was used already or came too late
 * (a reload of an old link, or someone else's replay). Both languages: the
 * host does not know the user's yet.
 */
export const launchRefusedPage = `<!doctype html>
<html lang="ja">
<meta charset="utf-8">
<title>Caller</title>
<h1>Caller</h1>
<p lang="ja">この起動リンクは使用済みか、有効期限が切れています。このウィンドウを閉じて、Caller をもう一度開いてください。</p>
<p lang="en">This link to open Caller has been used already or has expired. Close this window and open Caller again.</p>
</html>
`;
