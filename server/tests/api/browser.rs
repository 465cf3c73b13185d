//! A browser-like HTTP client for a test app: a cookie jar, no redirects
//! followed, and the fetch metadata a browser sends on same-site requests.
use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{HeaderMap, HeaderValue};

use crate::helpers::TestApp;

/// A browser signed in as `username` with the test password.
pub async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let browser = Browser::new(app);
    browser.sign_in(username, crate::users::PASSWORD).await;
    browser
}

pub struct Browser {
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self::with_headers(app, &[("sec-fetch-site", "same-origin")])
    }

    /// A client with exactly these default headers (e.g. another origin).
    pub fn with_headers(app: &TestApp, headers: &[(&'static str, &str)]) -> Self {
        let jar = Arc::new(Jar::default());
        let mut defaults = HeaderMap::new();
        for (name, value) in headers {
            defaults.insert(*name, HeaderValue::from_str(value).expect("header value"));
        }
        let client = crate::helpers::http_client()
            .cookie_provider(jar.clone())
            .default_headers(defaults)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self {
            client,
            jar,
            base: app.address.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// A server-function call as the Leptos client makes it.
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// The import form as the page sends it (multipart): a chosen file, or
    /// pasted text when there is none.
    pub async fn import(&self, file: Option<(&str, Vec<u8>)>, pasted: &str) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new().text("csv", pasted.to_owned());
        if let Some((name, bytes)) = file {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
        }
        self.client
            .post(self.url("/api/rpc/equipment/import"))
            .header("accept", "application/json")
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.call(
            "/api/rpc/auth/login",
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// Signs in and insists that it worked.
    pub async fn sign_in(&self, username: &str, password: &str) {
        let response = self.login(username, password).await;
        let status = response.status();
        assert_eq!(
            status,
            200,
            "sign-in as {username}: {}",
            response.text().await.unwrap_or_default()
        );
    }

    /// A leader or admin enables or disables someone; insists that it worked.
    pub async fn set_active(&self, user_id: i64, active: bool) {
        let id = user_id.to_string();
        let active = active.to_string();
        let response = self
            .call(
                "/api/rpc/people/set-active",
                &[("user_id", &id), ("active", &active), ("confirmed", "yes")],
            )
            .await;
        let status = response.status();
        assert_eq!(
            status,
            200,
            "set-active: {}",
            response.text().await.unwrap_or_default()
        );
    }

    /// The signed-in user's own password change, as the page posts it.
    pub async fn change_password(&self, current: &str, new: &str) -> reqwest::Response {
        self.call(
            "/api/rpc/auth/change-password",
            &[
                ("current_password", current),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await
    }

    /// The session cookie's value, if the jar holds one.
    pub fn session_id(&self) -> Option<String> {
        let url = self.base.parse().expect("base url");
        let cookies = self.jar.cookies(&url)?;
        cookies
            .to_str()
            .ok()?
            .split(';')
            .map(str::trim)
            .find_map(|c| c.strip_prefix("equipflow="))
            .map(str::to_owned)
    }

    /// Replaces the jar's session cookie (to replay an old one).
    pub fn set_session_id(&self, id: &str) {
        let url = self.base.parse().expect("base url");
        self.jar
            .add_cookie_str(&format!("equipflow={id}; Path=/"), &url);
    }
}
