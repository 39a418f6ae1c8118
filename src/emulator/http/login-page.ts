/**
 * What a misconfigured Openfire (≥ 4.7.5 without `adminConsole.access.allow-wildcards-in-excludes=true`) answers
 * to REST calls: a redirect to the admin console's login page, which then renders as HTML (openfire-rest-api.md §1).
 */
export function loginRedirect(path: string): { status: number; headers: Record<string, string>; body: string } {
  return { status: 302, headers: { Location: `/login.jsp?url=${encodeURIComponent(path)}` }, body: '' };
}

export const LOGIN_PAGE = `<!DOCTYPE html>
<html>
<head>
    <title>Openfire Admin Console</title>
    <meta http-equiv="content-type" content="text/html; charset=UTF-8">
    <link rel="stylesheet" href="style/framework/css/bootstrap.min.css" type="text/css">
</head>
<body>
<form action="login.jsp" name="loginForm" method="post">
    <input type="hidden" name="login" value="true">
    <input type="hidden" name="csrf" value="emulated">
    <div align="center">
        <h1>Openfire Admin Console</h1>
        <table>
            <tr><td><label for="u01">Username:</label></td><td><input type="text" name="username" id="u01"></td></tr>
            <tr><td><label for="p01">Password:</label></td><td><input type="password" name="password" id="p01"></td></tr>
            <tr><td colspan="2"><input type="submit" value="Login"></td></tr>
        </table>
    </div>
</form>
</body>
</html>
`;
