// api.js - the calls to wrench serve's HTTP API (docs/api.md). Adds the bearer
// token kept in sessionStorage; every failure becomes an ApiError whose status
// is the HTTP status (0 when the server could not be reached).

const TOKEN_KEY = 'wrench.token';

export class ApiError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

export function getToken() {
    try {
        return sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
        return '';
    }
}

export function setToken(token) {
    try {
        if (token) sessionStorage.setItem(TOKEN_KEY, token);
        else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
        // storage disabled: nothing to keep
    }
}

async function request(method, path, body) {
    const headers = {'Accept': 'application/json'};
    const token = getToken();
    if (token) headers['Authorization'] = 'Bearer ' + token;
    const init = {method, headers, cache: 'no-store', credentials: 'same-origin'};
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    let response;
    try {
        response = await fetch(path, init);
    } catch (e) {
        throw new ApiError(0, e && e.message ? e.message : 'network error');
    }
    const text = await response.text();
    let data = null;
    try {
        data = text ? JSON.parse(text) : null;
    } catch (e) {
        if (response.ok) throw new ApiError(response.status, 'not JSON');
    }
    if (!response.ok) throw new ApiError(response.status, errorMessage(data, response));
    return data;
}

function errorMessage(data, response) {
    const message = data && data.error && data.error.message;
    return typeof message === 'string' && message ? message : response.statusText || 'error';
}

function idPart(id) {
    return encodeURIComponent(String(id));
}

export const api = {
    listScans(before) {
        const query = before !== undefined && before !== null ? '&before=' + idPart(before) : '';
        return request('GET', '/api/v1/scans?limit=50' + query);
    },
    getScan(id) {
        return request('GET', '/api/v1/scans/' + idPart(id));
    },
    getStatus(id) {
        return request('GET', '/api/v1/scans/' + idPart(id) + '/status');
    },
    startScan(body) {
        // a JSON body: serve refuses a POST without Content-Type: application/json
        return request('POST', '/api/v1/scans', body || {});
    },
    getDiff(to) {
        return request('GET', '/api/v1/diff?to=' + idPart(to));
    },
    getAccept() {
        return request('GET', '/api/v1/accept');
    },
    addAccept(entry) {
        return request('POST', '/api/v1/accept', entry);
    },
    removeAccept(entry) {
        return request('DELETE', '/api/v1/accept', entry);
    },
};
